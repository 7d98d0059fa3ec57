namespace Reprise.Diff.Stats;

/// <summary>Percentiles of sorted samples (linear interpolation between closest ranks, as numpy's default).</summary>
public static class Percentiles
{
    /// <summary>The <paramref name="percentile"/> (0-100) of an ascending array; 0 when empty.</summary>
    public static double Of(ReadOnlySpan<double> sorted, double percentile)
    {
        if (sorted.IsEmpty)
        {
            return 0;
        }

        var rank = Math.Clamp(percentile, 0, 100) / 100.0 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
