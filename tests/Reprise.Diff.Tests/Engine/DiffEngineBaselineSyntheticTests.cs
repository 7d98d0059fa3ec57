using Reprise.Core.Model;
using Reprise.Diff.Engine;
using Reprise.Diff.Model;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Engine;

/// <summary>Baseline behaviour on small hand-built recordings (no server).</summary>
public sealed class DiffEngineBaselineSyntheticTests
{
    private static Exchange Result(Exchange recorded, int status, string run) =>
        Exchanges.Get(recorded.Request.Url, "{}", status) with { Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, recorded.Id).Add(WellKnownTags.ReplayCopy, "0").Add(WellKnownTags.ReplayRun, run) };

    private static async Task<DiffReport> RunAsync(TempDir dir, int[] baselineStatus, int[] candidateStatus)
    {
        var recorded = Enumerable.Range(1, baselineStatus.Length).Select(i => Exchanges.Get($"http://svc.test/api/items/{i}", "{}", 200, id: $"r{i}")).ToList();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), recorded);
        await Exchanges.WriteRecordingAsync(dir.File("base.reprise.jsonl"), [.. recorded.Select((r, i) => Result(r, baselineStatus[i], "base"))]);
        await Exchanges.WriteRecordingAsync(dir.File("cand.reprise.jsonl"), [.. recorded.Select((r, i) => Result(r, candidateStatus[i], "cand"))]);
        return await new DiffEngine(new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("cand.reprise.jsonl"), BaselineResults = dir.File("base.reprise.jsonl") }).RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Baseline_OneFlakyStatus_DoesNotHideStatusChanges()
    {
        using var dir = new TempDir();

        var report = await RunAsync(dir, [404, 200, 200], [200, 404, 404]);

        var endpoint = Assert.Single(report.Endpoints);
        Assert.Equal(2, endpoint.StatusChanges);
        Assert.Contains(endpoint.Locations, l => l.Location == "status");
        Assert.DoesNotContain(report.Noise, n => n.Location is "status" or "error");
        Assert.True(endpoint.Failed);
    }

    [Fact]
    public async Task Baseline_ErrorOnBothRuns_IsNotANewError()
    {
        using var dir = new TempDir();

        var report = await RunAsync(dir, [500, 200, 200, 503], [500, 500, 200, 503]);

        var endpoint = Assert.Single(report.Endpoints);
        Assert.Equal(1, endpoint.Errors);
        Assert.Equal(1, report.Variables["errors"]);
        Assert.Equal(2, endpoint.ReferenceErrors);
    }

    [Fact]
    public async Task SecondBaselineRun_FieldThatVariesBetweenRuns_IsNoise_RealChangeStillDiffs()
    {
        using var dir = new TempDir();
        var recorded = Exchanges.Get("http://svc.test/api/items/1", """{"id":1,"name":"mug","session":"s-100"}""", 200, id: "r1");
        Exchange Run(string body, string run) =>
            Exchanges.Get(recorded.Request.Url, body) with { Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, "r1").Add(WellKnownTags.ReplayRun, run) };
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [recorded]);
        // The first baseline run happens to repeat the recorded session value; only a second run shows it varies.
        await Exchanges.WriteRecordingAsync(dir.File("b1.reprise.jsonl"), [Run("""{"id":1,"name":"mug","session":"s-100"}""", "b1")]);
        await Exchanges.WriteRecordingAsync(dir.File("b2.reprise.jsonl"), [Run("""{"id":1,"name":"mug","session":"s-207"}""", "b2")]);
        await Exchanges.WriteRecordingAsync(dir.File("cand.reprise.jsonl"), [Run("""{"id":1,"name":"cup","session":"s-311"}""", "cand")]);
        var options = new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("cand.reprise.jsonl"), BaselineResults = dir.File("b1.reprise.jsonl") };

        var oneRun = await new DiffEngine(options).RunAsync(TestContext.Current.CancellationToken);
        var twoRuns = await new DiffEngine(options with { SecondBaselineResults = dir.File("b2.reprise.jsonl") }).RunAsync(TestContext.Current.CancellationToken);

        Assert.Contains(Assert.Single(oneRun.Endpoints).Locations, l => l.Location == "body:$.session");
        var locations = Assert.Single(twoRuns.Endpoints).Locations;
        Assert.DoesNotContain(locations, l => l.Location == "body:$.session");
        Assert.Contains(locations, l => l.Location == "body:$.name");
        Assert.Contains(twoRuns.Noise, n => n.Location == "body:$.session" && n.Source == "baseline");
    }
}
