using System.Globalization;
using Reprise.Diff.Stats;

namespace Reprise.Diff.Tests.Sample;

/// <summary>
/// The latency floor of the functional tests against <see cref="SampleService"/>. Its Server-Timing durations are
/// set, not measured (under a millisecond, plus what a regression injects), so no machine load reaches them; the floor
/// was raised to 25 ms when they were measured in-process (a GC pause or a descheduled thread on a loaded 2-core CI
/// machine added 5-20 ms to a few requests of one run and not the other) and is kept: it stays well under the +50 ms
/// that <see cref="Regression.SlowP95"/> injects, which is still caught (DiffEngineRegressionTests.SlowP95_* and
/// DiffCommandTests.Diff_CustomGate_* assert it with this floor).
/// </summary>
internal static class SampleLatency
{
    public const double FloorMs = 25;

    /// <summary>The engine's latency settings with this floor.</summary>
    public static LatencyAnalyzer Analyzer { get; } = new(FloorMs: FloorMs);

    /// <summary><c>--latency-floor 25</c> for the CLI.</summary>
    public static string[] CliArgs { get; } = ["--latency-floor", FloorMs.ToString(CultureInfo.InvariantCulture)];
}
