using Reprise.Diff.Engine;
using Reprise.Diff.Model;
using Reprise.Diff.Tests.Sample;

namespace Reprise.Diff.Tests.Engine;

/// <summary>Integration: real Kestrel sample service, recorded once, replayed with each seeded regression.</summary>
public sealed class DiffEngineRegressionTests(RecordingFixture fixture) : IClassFixture<RecordingFixture>
{
    private Task<DiffReport> DiffAsync(string results) =>
        new DiffEngine(new DiffOptions { Recorded = fixture.Recording, Results = results, CollectRows = true, Latency = SampleLatency.Analyzer }).RunAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task Unchanged_Service_HasNoDiffsAndPasses()
    {
        var report = await DiffAsync(await fixture.ReplayAgainstAsync(Regression.None, "unchanged"));

        Assert.False(report.Failed, string.Join("; ", report.Reasons) + " " + string.Join(", ", report.Endpoints.SelectMany(e => e.Locations).Select(l => l.Example.ToString())));
        Assert.Equal(0, report.Variables["diffs"]);
        Assert.Equal(0, report.Variables["errors"]);
        Assert.Equal(0, report.Variables["p95_regression"]);
        Assert.Equal(420, report.Variables["exchanges"]);
        Assert.Equal(7, report.Endpoints.Count);
        Assert.Empty(report.Samples);
        Assert.Equal(420, report.Rows.Count);
    }

    [Fact]
    public async Task Unchanged_Service_ListsEveryIgnoredFieldWithItsReason()
    {
        var report = await DiffAsync(await fixture.ReplayAgainstAsync(Regression.None, "noise"));
        var products = report.Noise.Where(n => n.Endpoint == "GET /api/products/{id}").ToList();

        // The per-process counter is a plain number: only identical requests in the recording reveal it.
        // (A fresh process replayed in the same order serves the same counter values, so it may suppress nothing.)
        Assert.Contains(products, n => n.Location == "body:$.meta.served" && n.Source == "identical-requests");
        Assert.Contains(products, n => n.Location == "body:$.meta.nonce" && n.Count == 60);
        Assert.Contains(products, n => n.Location == "body:$.meta.traceId" && n.Reason.Contains("identical requests", StringComparison.Ordinal));
        Assert.Contains(report.Noise, n => n.Location == "header:x-request-id" && n.Source == "default" && n.Count > 0);
        Assert.Contains(report.Noise, n => n.Location == "header:etag" && n.Source == "default");
        Assert.Contains(report.Noise, n => n.Endpoint == "POST /soap" && n.Location.Contains("Stamp", StringComparison.Ordinal));
        Assert.All(report.Noise, n => Assert.False(string.IsNullOrWhiteSpace(n.Reason)));
    }

    [Fact]
    public async Task ChangedField_IsCaughtOnItsEndpointOnly()
    {
        var report = await DiffAsync(await fixture.ReplayAgainstAsync(Regression.ChangedField, "changed"));
        var endpoint = Failing(report, "GET /api/products/{id}");

        var location = Assert.Single(endpoint.Locations);
        Assert.Equal("body:$.price", location.Location);
        Assert.Equal(DifferenceKind.Changed, location.Kind);
        Assert.Equal(60, location.Count);
    }

    [Fact]
    public async Task RemovedField_IsCaught()
    {
        var report = await DiffAsync(await fixture.ReplayAgainstAsync(Regression.RemovedField, "removed"));
        var endpoint = Failing(report, "GET /api/users/{id}");

        var location = Assert.Single(endpoint.Locations);
        Assert.Equal("body:$.email", location.Location);
        Assert.Equal(DifferenceKind.Removed, location.Kind);
    }

    [Fact]
    public async Task StatusChange_IsCaught()
    {
        var report = await DiffAsync(await fixture.ReplayAgainstAsync(Regression.StatusChange, "status"));
        var endpoint = Failing(report, "GET /api/orders/{id}");

        Assert.Equal(20, endpoint.StatusChanges); // ids 0 and 3 of 0..5, 10 rounds each
        Assert.Contains(endpoint.Locations, l => l.Location == "status" && l.Example.Expected == "200" && l.Example.Actual == "404");
        Assert.Equal(20, report.Variables["status_changes"]);
    }

    [Fact]
    public async Task SlowP95_IsASignificantRegressionWhileP50Holds()
    {
        var report = await DiffAsync(await fixture.ReplayAgainstAsync(Regression.SlowP95, "slow"));
        var endpoint = Failing(report, "GET /api/search");

        Assert.Equal(0, endpoint.Diffs);
        Assert.True(endpoint.Latency.CandidateP95 - endpoint.Latency.ReferenceP95 >= 40, $"p95 {endpoint.Latency.ReferenceP95} → {endpoint.Latency.CandidateP95}"); // well above the 25 ms floor
        Assert.True(endpoint.Latency.P95DeltaLow > 0, "the bootstrap CI of the p95 difference must exclude 0");
        Assert.True(endpoint.Latency.P95Regression > 0.10);
        Assert.Equal(0, endpoint.Latency.P50Regression);
        Assert.True(report.Variables["p95_regression"] > 0.10);
    }

    [Fact]
    public async Task NewErrors_AreCaught()
    {
        var report = await DiffAsync(await fixture.ReplayAgainstAsync(Regression.NewErrors, "errors"));
        var endpoint = Failing(report, "POST /api/checkout");

        Assert.Equal(15, endpoint.Errors);
        Assert.Equal(0.25, endpoint.ErrorRate, 3);
        Assert.True(report.Variables["error_rate"] > 0.001);
        Assert.Contains(report.Reasons, r => r.StartsWith("error_rate > 0.1%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AllRegressions_EachCaughtOnItsOwnEndpoint()
    {
        var report = await DiffAsync(await fixture.ReplayAgainstAsync(Regression.ChangedField | Regression.RemovedField | Regression.StatusChange | Regression.SlowP95 | Regression.NewErrors, "all"));

        Assert.True(report.Failed);
        Assert.Equal(
            ["GET /api/orders/{id}", "GET /api/products/{id}", "GET /api/search", "GET /api/users/{id}", "POST /api/checkout"],
            report.Endpoints.Where(e => e.Failed).Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.NotEmpty(report.Samples);
    }

    private static EndpointReport Failing(DiffReport report, string name)
    {
        Assert.True(report.Failed);
        var failing = report.Endpoints.Where(e => e.Failed).Select(e => e.Name).ToList();
        Assert.Equal([name], failing);
        return report.Endpoints.Single(e => e.Name == name);
    }
}
