using System.Globalization;
using Reprise.Diff.Stats;

namespace Reprise.Diff.Tests.Sample;

/// <summary>
/// The latency floor of the functional tests against <see cref="SampleService"/>. Its Server-Timing durations are
/// measured in-process, yet on a loaded 2-core CI machine a GC pause or a descheduled thread still adds 5-20 ms to
/// a few requests of one run and not the other; with 60 samples per endpoint the p95 is the third-slowest request,
/// so the default 5 ms floor turns that into a "p95 regression". 25 ms stays well under the +50 ms that
/// <see cref="Regression.SlowP95"/> injects, which is still caught (DiffEngineRegressionTests.SlowP95_* and
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
