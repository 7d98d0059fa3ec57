using Reprise.Diff.Stats;

namespace Reprise.Diff.Tests.Stats;

public sealed class StatsTests
{
    [Fact]
    public void MannWhitney_IdenticalSamples_AreNotSignificant()
    {
        var a = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();

        var (p, effect) = MannWhitney.Test(a, a);

        Assert.True(p > 0.4, $"p = {p}");
        Assert.Equal(0, effect, 6);
    }

    [Fact]
    public void MannWhitney_ShiftedSample_IsSignificantWithFullEffect()
    {
        var a = Enumerable.Range(0, 30).Select(i => (double)i).ToArray();
        var b = a.Select(v => v + 100).ToArray();

        var (p, effect) = MannWhitney.Test(a, b);

        Assert.True(p < 1e-6, $"p = {p}");
        Assert.Equal(1, effect, 6);
    }

    [Fact]
    public void MannWhitney_MatchesAKnownValue()
    {
        // By hand: ranks of [3,4,5,6,7] in the pooled sample are 3.5+5.5+7.5+9+10 = 35.5, so U = 35.5 − 15 = 20.5;
        // mean 12.5; three ties of two: σ² = 25/12 · (11 − 18/90) = 22.5; z = (20.5 − 12.5 − 0.5)/√22.5 = 1.5811; p = 0.0569.
        var (p, effect) = MannWhitney.Test([1, 2, 3, 4, 5], [3, 4, 5, 6, 7]);

        Assert.Equal(0.0569, p, 4);
        Assert.Equal((2 * 20.5 / 25) - 1, effect, 6);
    }

    [Fact]
    public void Bootstrap_CiOfP95Difference_ContainsTheTrueShift()
    {
        var random = new Random(1);
        var a = Enumerable.Range(0, 400).Select(_ => 10 + random.NextDouble()).Order().ToArray();
        var b = a.Select(v => v + 20).ToArray();

        var (low, high) = BootstrapCi.PercentileDifference(a, b, 95);

        Assert.InRange(20, low, high);
        Assert.True(low > 19 && high < 21, $"{low}..{high}");
    }

    [Fact]
    public void Analyzer_BelowFloor_IsNoRegression()
    {
        var reference = new LatencySamples();
        var candidate = new LatencySamples();
        for (var i = 0; i < 100; i++)
        {
            reference.Add(1 + (i % 10 * 0.01));
            candidate.Add(3 + (i % 10 * 0.01)); // tripled, but only +2 ms
        }

        var result = new LatencyAnalyzer(FloorMs: 5).Compare(reference, candidate);

        Assert.True(result.P95DeltaLow > 0);
        Assert.Equal(0, result.P95Regression);
        Assert.True(new LatencyAnalyzer(FloorMs: 1).Compare(reference, candidate).P95Regression > 1.5);
    }

    [Fact]
    public void Samples_StayBoundedAndUniform()
    {
        var samples = new LatencySamples(capacity: 1000);
        for (var i = 0; i < 100_000; i++)
        {
            samples.Add(i);
        }

        var sorted = samples.Sorted();
        Assert.Equal(1000, sorted.Length);
        Assert.Equal(100_000, samples.Count);
        Assert.InRange(Percentiles.Of(sorted, 50), 40_000, 60_000);
    }

    [Fact]
    public void Percentiles_Interpolate()
    {
        Assert.Equal(2.5, Percentiles.Of([1, 2, 3, 4], 50));
        Assert.Equal(4, Percentiles.Of([1, 2, 3, 4], 100));
        Assert.Equal(0, Percentiles.Of([], 50));
    }
}
