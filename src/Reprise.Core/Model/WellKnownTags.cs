namespace Reprise.Core.Model;

/// <summary>Tag names with a meaning shared across commands (part of the documented format).</summary>
public static class WellKnownTags
{
    /// <summary>On a replay result: the id of the recorded exchange it replays (how <c>diff</c> pairs them).</summary>
    public const string ReplayOf = "replay.of";

    /// <summary>On a replay result: which copy of the session it belongs to under <c>--multiplier</c> (0-based).</summary>
    public const string ReplayCopy = "replay.copy";

    /// <summary>On a replay result: the replay run id (one per <c>replay</c> invocation).</summary>
    public const string ReplayRun = "replay.run";

    /// <summary>
    /// On a replay result: the ids replay learned in the session so far, recorded → new (<c>old=new</c> pairs, see
    /// <see cref="CorrelatedPairs"/>); <c>diff</c> does not count a value that differs only by them.
    /// </summary>
    public const string ReplayCorrelated = "replay.correlated";

    /// <summary>On a replay result: the shard (<c>i/n</c>) that produced it.</summary>
    public const string ReplayShard = "replay.shard";

    /// <summary>
    /// On a recorded exchange: set to <c>injected</c> when the recorder created the trace because the client
    /// sent no <c>traceparent</c>. Such a trace spans one request and its dependency calls, not a user session.
    /// </summary>
    public const string TraceInjected = "reprise.traceparent";

    /// <summary>On a recorded inbound exchange: the client's address (first X-Forwarded-For hop, else the peer).</summary>
    public const string ClientAddress = "client.address";

    /// <summary>On a mock-served exchange: the id of the recorded exchange whose response was served.</summary>
    public const string MockServedFrom = "mock.servedFrom";

    /// <summary>
    /// On a redacted exchange whose request <c>Authorization</c> credential was masked: a keyed token of the credential
    /// (<c>tok_secret_…</c>), so requests of one user still share a session on replay although every masked
    /// credential of one length reads the same.
    /// </summary>
    public const string RedactedAuthorization = "redaction.authorization";

    /// <summary>The same for the request's <c>Cookie</c> header (a keyed token of its whole original value).</summary>
    public const string RedactedCookie = "redaction.cookie";

    /// <summary>
    /// On a redacted exchange whose response body issued credentials that were masked (a login's
    /// <c>{"jwtToken": "****…"}</c>): one line per credential, <c>tok_secret_…@response.body:$.path</c>, the keyed token
    /// of the credential (the one <see cref="RedactedAuthorization"/> holds on the requests that send it back) and where
    /// it was. Masks of one length all read the same; these tell replay which login issued the credential a later
    /// request sends, so two users logging in on one client each get their own new token.
    /// </summary>
    public const string RedactedIssued = "redaction.issued";

    /// <summary>
    /// On a redacted exchange whose request body sent credentials that were masked (a JSON-RPC call's
    /// <c>{"auth": "****…"}</c>): one line per credential, <c>tok_secret_…@request.body:$.path</c>, in the form of
    /// <see cref="RedactedIssued"/>. Replay fills such a member with the new value of the login that issued that very
    /// credential, not the latest login's: two users on one client each keep their own session.
    /// </summary>
    public const string RedactedSent = "redaction.sent";

    /// <summary>On a WebSocket session: why its messages stop early (a malformed stream, a message the capture cut).</summary>
    public const string WebSocketError = "websocket.error";

    /// <summary>
    /// The source did not say how long the exchange took (a HAR entry with <c>time: -1</c> and no timings): its
    /// duration is 0 only as a placeholder, and latency statistics (inspect, diff's reference) leave it out.
    /// </summary>
    public const string DurationUnknown = "duration.unknown";

    /// <summary>On a WebSocket session: messages seen after the most a session keeps (not stored).</summary>
    public const string WebSocketDropped = "websocket.droppedMessages";
}
