namespace Reprise.Replay.Http;

/// <summary>
/// Sends one replayed request and fills its <see cref="SendOutcome"/> (status, headers and body when kept,
/// or an error classified as connect / timeout / reset / protocol). Two implementations:
/// <see cref="HttpClientTransport"/> (SocketsHttpHandler: HTTPS, HTTP/2, gRPC, injected handlers) and
/// <see cref="RawHttpTransport"/> (a purpose-built HTTP/1.1 client for plain-http targets).
/// </summary>
internal interface IReplayTransport
{
    /// <summary>
    /// Sends <paramref name="outgoing"/> (or the template as built when null). <paramref name="timeout"/>
    /// fires at the per-request timeout; the transport reports it as a timeout error, never throws it.
    /// <paramref name="lane"/>, when given, is the sequence of non-overlapping requests this one belongs to
    /// (a virtual user): a transport may keep per-lane state (a connection) on it.
    /// </summary>
    Task SendAsync(RequestTemplate template, OutgoingRequest? outgoing, string? bearer, bool keepBody, SendOutcome outcome, TransportLane? lane, CancellationToken timeout);
}
