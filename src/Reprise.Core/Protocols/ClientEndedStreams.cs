using Reprise.Core.Model;

namespace Reprise.Core.Protocols;

/// <summary>
/// A recorded stream its client ended while the server kept it open: a gRPC call answered 200 and cancelled before any
/// <c>grpc-status</c> (an etcd Watch), or a server-sent-events stream (<c>text/event-stream</c>, which only its client ever
/// ends). Replay ends such a stream as the client did; the mock serves it and then holds it open.
/// </summary>
public static class ClientEndedStreams
{
    /// <summary>Whether <paramref name="recorded"/> is such a stream; <paramref name="events"/> is true for server-sent events, false for gRPC.</summary>
    public static bool Is(Exchange recorded, out bool events)
    {
        events = false;
        if (recorded is not { Error.Kind: ExchangeErrorKind.Canceled, Response: { Status: 200 } response }
            || response.Headers.Get("content-type") is not { } type)
        {
            return false;
        }

        if (type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            return (response.Trailers.Get("grpc-status") ?? response.Headers.Get("grpc-status")) is null; // else the server ended it
        }

        events = type.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);
        return events;
    }
}
