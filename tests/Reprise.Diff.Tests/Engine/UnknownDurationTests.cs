using Reprise.Core.Model;
using Reprise.Diff.Engine;
using Reprise.Diff.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Diff.Tests.Engine;

/// <summary>
/// A recording imported from a HAR whose entries say <c>time: -1</c> has no recorded latency: the latency comparison
/// leaves such exchanges out instead of reading them as 0 ms requests that every replay "regresses" from.
/// </summary>
public sealed class UnknownDurationTests
{
    [Fact]
    public async Task RecordedDurationsUnknown_NoLatencyRegressionFromZero()
    {
        var recorded = Enumerable.Range(0, 60)
            .Select(i => Exchanges.Get($"http://app.test/items/{i}", id: $"r{i}", durationMs: 0) with { Tags = Exchange.EmptyTags.Add(WellKnownTags.DurationUnknown, "har") })
            .ToList();
        var results = recorded.Select(r => Exchanges.Get(r.Request.Url, id: "c" + r.Id, durationMs: 80 + (int.Parse(r.Id[1..], System.Globalization.CultureInfo.InvariantCulture) % 7)) with
        {
            Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, r.Id).Add(WellKnownTags.ReplayRun, "cand"),
        }).ToList();

        var report = await RunAsync(recorded, results);

        Assert.False(report.Failed, string.Join("; ", report.Reasons));
        Assert.DoesNotContain(report.Endpoints, e => e.Latency.Significant);
    }

    [Fact]
    public async Task RecordedDurationsKnown_TheSameSlowdownIsARegression()
    {
        // The control: with known recorded times the same results are a latency regression, so the test above can fail.
        var recorded = Enumerable.Range(0, 60).Select(i => Exchanges.Get($"http://app.test/items/{i}", id: $"r{i}", durationMs: 5)).ToList();
        var results = recorded.Select(r => Exchanges.Get(r.Request.Url, id: "c" + r.Id, durationMs: 80 + (int.Parse(r.Id[1..], System.Globalization.CultureInfo.InvariantCulture) % 7)) with
        {
            Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, r.Id).Add(WellKnownTags.ReplayRun, "cand"),
        }).ToList();

        var report = await RunAsync(recorded, results);

        Assert.Contains(report.Endpoints, e => e.Latency.Significant);
    }

    private static async Task<DiffReport> RunAsync(IReadOnlyList<Exchange> recorded, IReadOnlyList<Exchange> results)
    {
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), recorded);
        await Exchanges.WriteRecordingAsync(dir.File("cand.reprise.jsonl"), results);
        return await new DiffEngine(new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("cand.reprise.jsonl") }).RunAsync(TestContext.Current.CancellationToken);
    }
}
