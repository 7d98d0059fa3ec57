namespace Reprise.Diff.Model;

/// <summary>Data for the latency plots of one endpoint: a percentile curve and a log-spaced histogram of each side.</summary>
/// <param name="Percentiles">The percentiles plotted (0-100).</param>
/// <param name="Reference">Reference latency (ms) at each percentile.</param>
/// <param name="Candidate">Candidate latency (ms) at each percentile.</param>
/// <param name="BinEdges">Histogram bin edges in ms (one more than the counts).</param>
/// <param name="ReferenceBins">Reference counts per bin (from the bounded sample).</param>
/// <param name="CandidateBins">Candidate counts per bin.</param>
public sealed record LatencyPlot(double[] Percentiles, double[] Reference, double[] Candidate, double[] BinEdges, int[] ReferenceBins, int[] CandidateBins);
