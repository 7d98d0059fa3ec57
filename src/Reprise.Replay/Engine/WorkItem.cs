using Reprise.Replay.Http;

namespace Reprise.Replay.Engine;

/// <summary>
/// One request to send: a template, its session (copy), and when it should go (open model). A value: it is created
/// per request and lives in a VU's batch, a session's queue or the executor's state machine, never on the heap alone.
/// </summary>
internal readonly struct WorkItem(RequestTemplate template, ReplaySession session, long intendedTimestamp, int loop)
{
    public RequestTemplate Template { get; } = template;

    public ReplaySession Session { get; } = session;

    /// <summary>TimeProvider timestamp the send was scheduled for; 0 under closed-model pacing.</summary>
    public long IntendedTimestamp { get; } = intendedTimestamp;

    public int Loop { get; } = loop;
}
