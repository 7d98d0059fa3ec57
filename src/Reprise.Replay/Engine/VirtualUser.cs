using Reprise.Replay.Http;

namespace Reprise.Replay.Engine;

/// <summary>
/// One closed-model virtual user's state kept between its requests, which never overlap: its request-timeout
/// slot and its transport lane (keep-alive connection). Neither goes through a pool shared by every core per
/// request, and a user's requests keep using memory its own thread last touched.
/// </summary>
internal sealed class VirtualUser
{
    public TransportLane Lane { get; } = new();

    /// <summary>The user's timeout slot (taken at its first request); null before.</summary>
    public RequestTimeouts.Slot? Timeout { get; set; }

    /// <summary>The user's request in flight on the direct path (<see cref="RequestExecutor.TryBeginDirect"/>), reused.</summary>
    public DirectRequest Direct { get; } = new();

    /// <summary>When the direct request started (a <see cref="TimeProvider"/> timestamp of the run's clock).</summary>
    public long DirectStart { get; set; }
}
