namespace Reprise.Replay;

/// <summary>A live snapshot of a run (for progress displays).</summary>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Completed">Requests completed.</param>
/// <param name="Errors">Requests without a response.</param>
/// <param name="P99Ms">Overall p99 latency so far, in milliseconds.</param>
public sealed record ReplayProgress(TimeSpan Elapsed, long Completed, long Errors, double P99Ms);
