using Reprise.Diff.Model;
using Reprise.Diff.Noise;
using Reprise.Diff.Stats;

namespace Reprise.Diff.Engine;

/// <summary>Folds the per-endpoint totals into the final report: latency tests, plots, gate variables and verdicts.</summary>
internal sealed class ReportBuilder(DiffOptions options, NoiseModel noise)
{
    private static readonly double[] PlotPercentiles = [0, 5, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.9, 100];

    private static Dictionary<string, long> Ordered(Dictionary<string, long> counts)
    {
        // Report order is fixed (transport, http-5xx, grpc, graphql) so JSON and text outputs are stable.
        var ordered = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var kind in ErrorClass.Kinds)
        {
            if (counts.TryGetValue(kind, out var count) && count > 0)
            {
                ordered[kind] = count;
            }
        }

        return ordered;
    }

    public DiffReport Build(IEnumerable<EndpointAccumulator> accumulators, DiffEngine.CompareState state, long notReplayed)
    {
        var useBaseline = options.BaselineResults is not null;
        var endpoints = new List<EndpointReport>();
        var ordered = accumulators.OrderBy(a => a.Index).ToList();
        var noiseEntries = noise.Entries();
        foreach (var a in ordered)
        {
            var reference = useBaseline && a.Baseline.Count > 0 ? a.Baseline : a.Reference;
            // Error rates count exchanges, not latency samples: a session or an exchange whose duration is unknown
            // (HAR time -1) has no sample but is an exchange all the same.
            var errorsFromBaseline = useBaseline && a.BaselineExchanges > 0;
            var referenceErrors = errorsFromBaseline ? a.BaselineErrors : a.ReferenceErrors;
            var referenceExchanges = errorsFromBaseline ? a.BaselineExchanges : a.ReferenceExchanges;
            var latency = options.Latency.Compare(reference, a.Candidate);
            var variables = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["diffs"] = a.Diffs,
                ["differences"] = a.Differences,
                ["status_changes"] = a.StatusChanges,
                ["exchanges"] = a.Exchanges,
                ["unpaired"] = 0,
                ["errors"] = a.Errors,
                ["graphql_errors"] = a.ErrorsByKind.GetValueOrDefault(ErrorClass.GraphQl),
                ["error_rate"] = a.Exchanges == 0 ? 0 : a.Errors / (double)a.Exchanges,
                ["p50_regression"] = latency.P50Regression,
                ["p95_regression"] = latency.P95Regression,
                ["p99_regression"] = latency.P99Regression,
                ["noise"] = noiseEntries.Where(n => n.Endpoint == a.Name).Sum(n => n.Count),
            };
            endpoints.Add(new EndpointReport
            {
                Name = a.Name,
                Exchanges = a.Exchanges,
                Diffs = a.Diffs,
                Differences = a.Differences,
                StatusChanges = a.StatusChanges,
                Errors = a.Errors,
                ErrorsByKind = Ordered(a.ErrorsByKind),
                ReferenceErrors = referenceErrors,
                ReferenceExchanges = referenceExchanges,
                ErrorRate = variables["error_rate"],
                ReferenceErrorRate = referenceExchanges == 0 ? 0 : referenceErrors / (double)referenceExchanges,
                Latency = latency,
                Plot = Plot(reference, a.Candidate),
                Locations = [.. a.Locations.Select(l => new LocationCount(l.Key[..l.Key.IndexOf('\u0000', StringComparison.Ordinal)], l.Value.Kind, l.Value.Count, l.Value.Example)).OrderByDescending(l => l.Count).ThenBy(l => l.Location, StringComparer.Ordinal)],
                Failed = options.Gate.Evaluate(variables),
                Reasons = options.Gate.Explain(variables),
                Variables = variables,
            });
        }

        long exchanges = endpoints.Sum(e => e.Exchanges), errors = endpoints.Sum(e => e.Errors);
        var totals = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["diffs"] = endpoints.Sum(e => e.Diffs),
            ["differences"] = endpoints.Sum(e => e.Differences),
            ["status_changes"] = endpoints.Sum(e => e.StatusChanges),
            ["exchanges"] = exchanges,
            ["unpaired"] = state.Unpaired,
            ["errors"] = errors,
            ["graphql_errors"] = endpoints.Sum(e => e.ErrorsByKind.GetValueOrDefault(ErrorClass.GraphQl)),
            ["error_rate"] = exchanges == 0 ? 0 : errors / (double)exchanges,
            ["p50_regression"] = endpoints.Count == 0 ? 0 : endpoints.Max(e => e.Latency.P50Regression),
            ["p95_regression"] = endpoints.Count == 0 ? 0 : endpoints.Max(e => e.Latency.P95Regression),
            ["p99_regression"] = endpoints.Count == 0 ? 0 : endpoints.Max(e => e.Latency.P99Regression),
            ["noise"] = noiseEntries.Sum(n => n.Count),
        };
        return new DiffReport
        {
            Recorded = options.Recorded,
            Results = options.Results,
            Baseline = options.BaselineResults,
            LatencyReference = useBaseline ? "baseline" : "recording",
            Gate = options.Gate.Text,
            Failed = options.Gate.Evaluate(totals),
            Reasons = options.Gate.Explain(totals),
            Variables = totals,
            Endpoints = endpoints,
            ErrorsByKind = Ordered(endpoints.SelectMany(e => e.ErrorsByKind).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(p => p.Value), StringComparer.Ordinal)),
            Noise = noiseEntries,
            Samples = state.Samples,
            SamplesOmitted = state.SamplesOmitted,
            NotReplayed = notReplayed,
            Alpha = options.Latency.Alpha,
            FloorMs = options.Latency.FloorMs,
            Rows = state.Rows,
        };
    }

    /// <summary>Percentile curves and a shared log-spaced histogram (24 bins) of both sides.</summary>
    internal static LatencyPlot Plot(LatencySamples reference, LatencySamples candidate)
    {
        var a = reference.Sorted();
        var b = candidate.Sorted();
        var refCurve = PlotPercentiles.Select(p => Round(Percentiles.Of(a, p))).ToArray();
        var candCurve = PlotPercentiles.Select(p => Round(Percentiles.Of(b, p))).ToArray();
        var min = Math.Max(0.01, Math.Min(a.Length > 0 ? a[0] : double.MaxValue, b.Length > 0 ? b[0] : double.MaxValue));
        var max = Math.Max(a.Length > 0 ? a[^1] : 0, b.Length > 0 ? b[^1] : 0);
        if (a.Length + b.Length == 0 || max <= min)
        {
            max = min * 2;
        }

        const int bins = 24;
        var edges = new double[bins + 1];
        var ratio = Math.Pow(max / min, 1.0 / bins);
        for (var i = 0; i <= bins; i++)
        {
            edges[i] = Round(min * Math.Pow(ratio, i));
        }

        return new LatencyPlot(PlotPercentiles, refCurve, candCurve, edges, Bin(a, min, ratio, bins), Bin(b, min, ratio, bins));
    }

    private static int[] Bin(double[] values, double min, double ratio, int bins)
    {
        var counts = new int[bins];
        foreach (var v in values)
        {
            var i = v <= min ? 0 : (int)(Math.Log(v / min) / Math.Log(ratio));
            counts[Math.Clamp(i, 0, bins - 1)]++;
        }

        return counts;
    }

    private static double Round(double value) => Math.Round(value, 3);
}
