namespace Reprise.Replay.Results;

/// <summary>Replay-specific tags beyond Core's <see cref="Core.Model.WellKnownTags"/>.</summary>
public static class ReplayTags
{
    /// <summary>
    /// Microseconds the send started after its intended time (<c>--rate</c> only). The
    /// coordinated-omission-corrected latency is Duration + this delay; <c>merge</c> recomputes it.
    /// </summary>
    public const string DelayMicros = "replay.delayUs";

    /// <summary>The replay loop (under <c>--duration</c>), 0-based; absent on the first pass.</summary>
    public const string Loop = "replay.loop";
}
