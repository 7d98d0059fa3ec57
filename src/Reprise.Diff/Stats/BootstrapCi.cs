namespace Reprise.Diff.Stats;

/// <summary>
/// A percentile-bootstrap confidence interval for the difference of one percentile (candidate minus
/// reference). Seeded, so one input always gives one answer; each side is subsampled to at most
/// <c>maxPerSide</c> values so the cost stays bounded on 100k-exchange runs.
/// </summary>
public static class BootstrapCi
{
    /// <summary>The (low, high) bounds at <paramref name="confidence"/> for p(<paramref name="percentile"/>) of candidate − reference.</summary>
    public static (double Low, double High) PercentileDifference(double[] reference, double[] candidate, double percentile, double confidence = 0.95, int resamples = 1000, int maxPerSide = 2000, int seed = 42)
    {
        if (reference.Length == 0 || candidate.Length == 0)
        {
            return (double.NaN, double.NaN);
        }

        var random = new Random(seed);
        var a = Subsample(reference, maxPerSide, random);
        var b = Subsample(candidate, maxPerSide, random);
        var bufferA = new double[a.Length];
        var bufferB = new double[b.Length];
        var differences = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            differences[r] = Resampled(b, bufferB, percentile, random) - Resampled(a, bufferA, percentile, random);
        }

        Array.Sort(differences);
        var tail = (1 - confidence) / 2 * 100;
        return (Percentiles.Of(differences, tail), Percentiles.Of(differences, 100 - tail));
    }

    private static double Resampled(double[] source, double[] buffer, double percentile, Random random)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = source[random.Next(source.Length)];
        }

        Array.Sort(buffer);
        return Percentiles.Of(buffer, percentile);
    }

    private static double[] Subsample(double[] values, int max, Random random)
    {
        if (values.Length <= max)
        {
            return values;
        }

        var result = new double[max];
        for (var i = 0; i < max; i++)
        {
            result[i] = values[random.Next(values.Length)];
        }

        return result;
    }
}
