using Reprise.Diff.Reports;
using Reprise.Diff.Stats;
using Xunit;

namespace Reprise.Diff.Tests.Reports;

public sealed class MarkdownReportWriterTests
{
    [Fact]
    public void Change_TooFewSamplesForACi_SaysNotApplicable()
    {
        var change = MarkdownReportWriter.Change(new LatencyAnalyzer().Compare(Samples(10, 12), Samples(11, 13)));
        Assert.Matches(@"^[+-]?\d+% \(CI n/a: too few samples\)$", change);
        Assert.DoesNotContain("NaN", change, StringComparison.Ordinal);
    }

    [Fact]
    public void Change_EnoughSamples_PrintsTheCi()
    {
        var reference = Samples([.. Enumerable.Range(0, 40).Select(i => 10.0 + (i % 5))]);
        var candidate = Samples([.. Enumerable.Range(0, 40).Select(i => 10.0 + (i % 5))]);
        var change = MarkdownReportWriter.Change(new LatencyAnalyzer().Compare(reference, candidate));
        Assert.Matches(@"^[+-]?\d+% \(CI [+-]?[\d.]+\.\.[+-]?[\d.]+ ms\)$", change);
    }

    private static LatencySamples Samples(params double[] values)
    {
        var samples = new LatencySamples();
        foreach (var value in values)
        {
            samples.Add(value);
        }

        return samples;
    }
}
