using Reprise.Diff.Engine;
using Reprise.Diff.Tests.Sample;

namespace Reprise.Diff.Tests.Engine;

/// <summary>Diffy-style noise: a second run of the baseline build reveals fields that differ between runs.</summary>
public sealed class DiffEngineBaselineTests(RecordingFixture fixture) : IClassFixture<RecordingFixture>
{
    [Fact]
    public async Task Baseline_TurnsPerProcessFieldsIntoNoise_AndKeepsRealRegressions()
    {
        var ct = TestContext.Current.CancellationToken;
        var recording = await fixture.RecordPerProcessAsync("per-process");
        var baseline = await fixture.ReplayAgainstAsync(Regression.None, "baseline-run", recording, perProcessField: true);
        var candidate = await fixture.ReplayAgainstAsync(Regression.ChangedField, "candidate-run", recording, perProcessField: true);

        var without = await new DiffEngine(new DiffOptions { Recorded = recording, Results = candidate, Latency = SampleLatency.Analyzer }).RunAsync(ct);
        var with = await new DiffEngine(new DiffOptions { Recorded = recording, Results = candidate, BaselineResults = baseline, Latency = SampleLatency.Analyzer }).RunAsync(ct);

        var products = without.Endpoints.Single(e => e.Name == "GET /api/products/{id}");
        Assert.Contains(products.Locations, l => l.Location == "body:$.instance");
        Assert.Contains(products.Locations, l => l.Location == "body:$.price");

        var productsWithBaseline = with.Endpoints.Single(e => e.Name == "GET /api/products/{id}");
        Assert.Equal("body:$.price", Assert.Single(productsWithBaseline.Locations).Location);
        Assert.Contains(with.Noise, n => n.Location == "body:$.instance" && n.Source == "baseline" && n.Count == 60 && n.Reason.Contains("baseline run", StringComparison.Ordinal));
        Assert.Equal("baseline", with.LatencyReference);
        Assert.Equal(1, with.Endpoints.Count(e => e.Failed));
    }

    [Fact]
    public async Task Multiplier_SeveralResultsPerRecordedExchange_AllPair()
    {
        var results = await fixture.ReplayAgainstAsync(Regression.RemovedField, "copies", copies: 3);

        var report = await new DiffEngine(new DiffOptions { Recorded = fixture.Recording, Results = results, Latency = SampleLatency.Analyzer }).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1260, report.Variables["exchanges"]);
        Assert.Equal(180, report.Endpoints.Single(e => e.Name == "GET /api/users/{id}").Diffs);
        Assert.Equal(0, report.Variables["unpaired"]);
    }
}
