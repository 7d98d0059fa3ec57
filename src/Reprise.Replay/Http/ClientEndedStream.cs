using Reprise.Core.Model;
using Reprise.Core.Protocols;

namespace Reprise.Replay.Http;

/// <summary>
/// A recorded gRPC call the client ended itself (an etcd Watch closed after a few seconds, a server stream read until the
/// client had enough): the recorder saw the response start, then the client cancel before any <c>grpc-status</c>. Such a
/// call never ends on the server's side, so replay ends it as the client did: once as many response messages as were
/// recorded arrived, or else once the recorded duration passed (from the send), the call is cancelled (the stream is reset
/// with CANCEL, as a gRPC client does) and the result is, like the recording, a canceled call with the response so far.
/// </summary>
/// <param name="Messages">Response messages recorded before the cancel; 0 when not known (the stored body was cut), then only the duration ends it.</param>
/// <param name="After">The recorded call's duration.</param>
internal sealed record ClientEndedStream(int Messages, TimeSpan After)
{
    /// <summary>The result's error: the recorded kind, saying how replay ended the call.</summary>
    public ExchangeError Error(int arrived, bool byMessages) => new(
        ExchangeErrorKind.Canceled,
        byMessages
            ? $"ended by the client as recorded: after {arrived} response message(s)"
            : $"ended by the client as recorded: after {After.TotalSeconds:0.###}s ({arrived} of {Messages} response message(s) arrived)");

    /// <summary>The recorded call's ending, or null when it is not a gRPC call the client cancelled after the response started.</summary>
    public static ClientEndedStream? Of(Exchange recorded)
    {
        if (recorded is not { Error.Kind: ExchangeErrorKind.Canceled, Response: { Status: 200 } response }
            || response.Headers.Get("content-type") is not { } type || !type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
            || (response.Trailers.Get("grpc-status") ?? response.Headers.Get("grpc-status")) is not null)
        {
            return null;
        }

        var messages = response.Body switch
        {
            null => 0,
            { Truncated: true } => 0,
            { } body => CountFrames(body.Content.Span),
        };
        return new ClientEndedStream(messages, recorded.Duration);
    }

    /// <summary>The whole length-prefixed gRPC messages in <paramref name="body"/>.</summary>
    public static int CountFrames(ReadOnlySpan<byte> body)
    {
        var count = 0;
        while (GrpcFraming.TryReadFrame(ref body, out _, out _))
        {
            count++;
        }

        return count;
    }
}
