namespace Reprise.Diff.Stats;

/// <summary>Turns two samples into a <see cref="LatencyComparison"/>.</summary>
/// <param name="Alpha">Significance level for the Mann-Whitney test and (1 − confidence) of the bootstrap CI.</param>
/// <param name="FloorMs">Changes smaller than this many milliseconds are never regressions (scheduler and GC jitter).</param>
/// <param name="MinSamples">Fewer samples than this on either side: no test, no regression.</param>
public sealed record LatencyAnalyzer(double Alpha = 0.05, double FloorMs = 5, int MinSamples = 10)
{
    /// <summary>Compares the samples.</summary>
    public LatencyComparison Compare(LatencySamples reference, LatencySamples candidate)
    {
        var a = reference.Sorted();
        var b = candidate.Sorted();
        var (p, effect) = MannWhitney.Test(a, b);
        var (low, high) = a.Length >= MinSamples && b.Length >= MinSamples
            ? BootstrapCi.PercentileDifference(a, b, 95, 1 - Alpha)
            : (double.NaN, double.NaN);
        double rp50 = Percentiles.Of(a, 50), rp95 = Percentiles.Of(a, 95), rp99 = Percentiles.Of(a, 99);
        double cp50 = Percentiles.Of(b, 50), cp95 = Percentiles.Of(b, 95), cp99 = Percentiles.Of(b, 99);
        var enough = a.Length >= MinSamples && b.Length >= MinSamples;
        var p95Significant = enough && low > 0 && cp95 - rp95 >= FloorMs;
        var p50Significant = enough && p < Alpha && cp50 - rp50 >= FloorMs;
        return new LatencyComparison
        {
            ReferenceCount = reference.Count,
            CandidateCount = candidate.Count,
            ReferenceP50 = rp50,
            ReferenceP95 = rp95,
            ReferenceP99 = rp99,
            CandidateP50 = cp50,
            CandidateP95 = cp95,
            CandidateP99 = cp99,
            PValue = enough ? p : 1,
            Effect = effect,
            P95DeltaLow = low,
            P95DeltaHigh = high,
            P95Regression = p95Significant ? Relative(rp95, cp95) : 0,
            P50Regression = p50Significant ? Relative(rp50, cp50) : 0,
            P99Regression = p95Significant && cp99 > rp99 ? Relative(rp99, cp99) : 0,
        };
    }

    private static double Relative(double reference, double candidate) =>
        reference <= 0 ? (candidate > 0 ? 1 : 0) : Math.Max(0, (candidate - reference) / reference);
}
