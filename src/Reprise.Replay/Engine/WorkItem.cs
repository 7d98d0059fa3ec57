using Reprise.Replay.Http;

namespace Reprise.Replay.Engine;

/// <summary>
/// One request to send: a template, its session (copy), and when it should go (open model). A value: it is created
/// per request and lives in a VU's batch, a session's queue or the executor's state machine, never on the heap alone.
/// </summary>
internal readonly struct WorkItem(RequestTemplate template, ReplaySession session, long intendedTimestamp, int loop, DirectPlan? plan = null)
{
    public RequestTemplate Template { get; } = template;

    /// <summary>
    /// The template's <see cref="RequestTemplate.GetDirectPlan"/> when the run may use the direct path (null otherwise):
    /// carried here so a virtual user on that path does not read the template object itself (usually not in the CPU caches).
    /// </summary>
    public DirectPlan? Plan { get; } = plan;

    public ReplaySession Session { get; } = session;

    /// <summary>TimeProvider timestamp the send was scheduled for; 0 under closed-model pacing.</summary>
    public long IntendedTimestamp { get; } = intendedTimestamp;

    public int Loop { get; } = loop;
}
