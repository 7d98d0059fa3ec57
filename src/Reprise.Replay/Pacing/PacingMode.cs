namespace Reprise.Replay.Pacing;

/// <summary>How send times are chosen.</summary>
public enum PacingMode
{
    /// <summary>Recorded inter-arrival times, scaled by <see cref="ReplayOptions.Speed"/> (open model).</summary>
    Original,

    /// <summary>A fixed rate of requests per second (open model, latency measured from the intended send time).</summary>
    Rate,

    /// <summary>N virtual users sending back to back (closed model).</summary>
    Vus,
}
