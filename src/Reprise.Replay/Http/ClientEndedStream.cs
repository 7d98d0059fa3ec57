using Reprise.Core.Model;
using Reprise.Core.Protocols;

namespace Reprise.Replay.Http;

/// <summary>
/// A recorded stream the client ended itself: a gRPC call (an etcd Watch closed after a few seconds, a server stream read
/// until the client had enough; the recorder saw the response start, then the client cancel before any
/// <c>grpc-status</c>) or a server-sent-events stream (<c>text/event-stream</c>, which only its client ever ends: a page
/// closed, an <c>EventSource</c> closed). Such a stream never ends on the server's side, so replay ends it as the client
/// did: once as many response messages (gRPC) or events (SSE) as were recorded arrived, or else once the recorded duration
/// passed (from the send), the call is cancelled (an HTTP/2 stream is reset with CANCEL, as a gRPC client does; an HTTP/1.1
/// connection is closed, as a browser does) and the result is, like the recording, a canceled call with the response so far.
/// </summary>
/// <param name="Messages">Response messages (or events) recorded before the cancel; 0 when not known (the stored body was cut), then only the duration ends it.</param>
/// <param name="After">The recorded call's duration.</param>
/// <param name="Events">True for a server-sent-events stream (counts events), false for gRPC (counts length-prefixed messages).</param>
internal sealed record ClientEndedStream(int Messages, TimeSpan After, bool Events = false)
{
    /// <summary>The result's error: the recorded kind, saying how replay ended the call.</summary>
    public ExchangeError Error(int arrived, bool byMessages)
    {
        var unit = Events ? "event(s)" : "response message(s)";
        return new(
            ExchangeErrorKind.Canceled,
            byMessages
                ? $"ended by the client as recorded: after {arrived} {unit}"
                : $"ended by the client as recorded: after {After.TotalSeconds:0.###}s ({arrived} of {Messages} {unit} arrived)");
    }

    /// <summary>The messages (or events) in a received body.</summary>
    public int Count(ReadOnlySpan<byte> body) => Events ? SseEventCounter.CountEvents(body) : GrpcFraming.CountFrames(body);

    /// <summary>The recorded call's ending, or null when it is not a gRPC or SSE stream the client cancelled after the response started (<see cref="ClientEndedStreams"/>).</summary>
    public static ClientEndedStream? Of(Exchange recorded)
    {
        if (!ClientEndedStreams.Is(recorded, out var events))
        {
            return null;
        }

        var stream = new ClientEndedStream(0, recorded.Duration, events);
        return recorded.Response!.Body is { Truncated: false } body ? stream with { Messages = stream.Count(body.Content.Span) } : stream;
    }
}
