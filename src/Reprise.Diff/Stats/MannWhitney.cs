namespace Reprise.Diff.Stats;

/// <summary>
/// The Mann-Whitney U test (one-sided: is the candidate slower?) with the normal approximation, tie
/// correction and continuity correction, plus the rank-biserial effect size (equal to Cliff's delta):
/// +1 when every candidate value is larger, 0 when the distributions overlap evenly.
/// </summary>
public static class MannWhitney
{
    /// <summary>The test of <paramref name="candidate"/> &gt; <paramref name="reference"/>. Both arrays sorted ascending.</summary>
    public static (double PValue, double Effect) Test(double[] reference, double[] candidate)
    {
        int n1 = reference.Length, n2 = candidate.Length;
        if (n1 == 0 || n2 == 0)
        {
            return (1, 0);
        }

        // Merge the sorted arrays, assigning average ranks to ties; sum the candidate ranks.
        double rankSumCandidate = 0, tieTerm = 0;
        int i = 0, j = 0, rank = 1;
        while (i < n1 || j < n2)
        {
            var value = i < n1 && (j >= n2 || reference[i] <= candidate[j]) ? reference[i] : candidate[j];
            int fromRef = 0, fromCand = 0;
            while (i < n1 && reference[i] == value)
            {
                i++;
                fromRef++;
            }

            while (j < n2 && candidate[j] == value)
            {
                j++;
                fromCand++;
            }

            var t = fromRef + fromCand;
            var averageRank = rank + ((t - 1) / 2.0);
            rankSumCandidate += averageRank * fromCand;
            tieTerm += ((double)t * t * t) - t;
            rank += t;
        }

        var u = rankSumCandidate - (n2 * (n2 + 1) / 2.0);
        var mean = n1 * (double)n2 / 2.0;
        var n = n1 + n2;
        var variance = n1 * (double)n2 / 12.0 * ((n + 1) - (tieTerm / (n * (double)(n - 1 == 0 ? 1 : n - 1))));
        var effect = (2 * u / (n1 * (double)n2)) - 1;
        if (variance <= 0)
        {
            return (u > mean ? 0 : 1, effect);
        }

        var z = (u - mean - 0.5) / Math.Sqrt(variance);
        return (UpperTail(z), effect);
    }

    /// <summary>P(Z &gt; z) for a standard normal (Abramowitz-Stegun 7.1.26 erfc, error &lt; 1.5e-7).</summary>
    internal static double UpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        var t = 1 / (1 + (0.3275911 * Math.Abs(x)));
        var y = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        var erfc = y * Math.Exp(-x * x);
        return x >= 0 ? erfc : 2 - erfc;
    }
}
