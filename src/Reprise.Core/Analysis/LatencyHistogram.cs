using HdrHistogram;

namespace Reprise.Core.Analysis;

/// <summary>
/// Latency distribution in microseconds (1 µs to 1 h, 3 significant digits) over HdrHistogram:
/// fixed memory per endpoint, exact merges across shards.
/// </summary>
public sealed class LatencyHistogram
{
    private const long MaxMicros = 3_600_000_000L;
    private readonly LongHistogram _histogram = new(MaxMicros, 3);

    /// <summary>Recorded values.</summary>
    public long Count => _histogram.TotalCount;

    /// <summary>Records one latency (clamped to the trackable range).</summary>
    public void Record(TimeSpan latency) => _histogram.RecordValue(Math.Clamp(latency.Ticks / 10, 1, MaxMicros));

    /// <summary>The latency at a percentile (0-100), in milliseconds; 0 when empty.</summary>
    public double PercentileMs(double percentile) => Count == 0 ? 0 : _histogram.GetValueAtPercentile(percentile) / 1000.0;

    /// <summary>The largest latency recorded, in milliseconds.</summary>
    public double MaxMs => Count == 0 ? 0 : _histogram.GetMaxValue() / 1000.0;

    /// <summary>The mean latency, in milliseconds.</summary>
    public double MeanMs => Count == 0 ? 0 : _histogram.GetMean() / 1000.0;

    /// <summary>Adds another histogram's counts (exact, not an average).</summary>
    public void Add(LatencyHistogram other) => _histogram.Add(other._histogram);
}
