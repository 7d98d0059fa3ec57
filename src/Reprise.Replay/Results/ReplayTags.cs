namespace Reprise.Replay.Results;

/// <summary>Replay-specific tags beyond Core's <see cref="Core.Model.WellKnownTags"/>.</summary>
public static class ReplayTags
{
    /// <summary>
    /// Microseconds the send started after its intended time (<c>--rate</c> only). The
    /// coordinated-omission-corrected latency is Duration + this delay; <c>merge</c> recomputes it.
    /// </summary>
    public const string DelayMicros = "replay.delayUs";

    /// <summary>
    /// The recorded exchange's path template (<see cref="Core.Analysis.EndpointKey.Template"/>), only
    /// when the sent URL templates differently (a target path, <c>--add-path-prefix</c>), so
    /// <c>merge</c> groups results under the same endpoint as the run, inspect and diff.
    /// </summary>
    public const string EndpointTemplate = "replay.endpoint";

    /// <summary>The replay loop (under <c>--duration</c>), 0-based; absent on the first pass.</summary>
    public const string Loop = "replay.loop";
}
