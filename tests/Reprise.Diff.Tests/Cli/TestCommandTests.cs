using System.Text.Json;
using Reprise.Diff.Tests.Sample;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Cli;

/// <summary>
/// <c>reprise test</c> end to end: the real replay engine (feat/replay) against the sample service.
/// The recording's durations are server-side (Server-Timing) while replay measures client-side, so
/// these gates leave latency out; latency detection is covered by the engine tests.
/// </summary>
public sealed class TestCommandTests(RecordingFixture fixture) : IClassFixture<RecordingFixture>
{
    private const string FunctionalGate = "diffs > 0 || errors > 0";

    [Fact]
    public async Task Test_UnchangedService_PassesWithZeroDiffs()
    {
        await using var service = await SampleService.StartAsync(Regression.None);

        var run = await RepriseExe.RunAsync(["test", fixture.Recording, "--target", service.Address.ToString(), "--speed", "100", "--fail-if", FunctionalGate, "--json"], TimeSpan.FromSeconds(120));

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(0, json.RootElement.GetProperty("variables").GetProperty("diffs").GetDouble());
        Assert.Equal(420, json.RootElement.GetProperty("variables").GetProperty("exchanges").GetDouble());
    }

    [Fact]
    public async Task Test_RegressedService_FailsOnTheRegressedEndpoints()
    {
        await using var service = await SampleService.StartAsync(Regression.ChangedField | Regression.StatusChange | Regression.NewErrors);
        var junit = Path.Combine(fixture.Directory, "test-command.junit.xml");

        var run = await RepriseExe.RunAsync(["test", fixture.Recording, "-t", service.Address.ToString(), "--speed", "100", "--fail-if", FunctionalGate, "--json", "--junit", junit], TimeSpan.FromSeconds(120));

        Assert.True(run.ExitCode == 1, run.Stdout + run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var failing = json.RootElement.GetProperty("endpoints").EnumerateArray().Where(e => e.GetProperty("failed").GetBoolean()).Select(e => e.GetProperty("name").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["GET /api/orders/{id}", "GET /api/products/{id}", "POST /api/checkout"], failing);
        DiffCommandTests.ValidateJUnit(junit);
    }

    [Fact]
    public async Task Test_BaselineUrl_LearnsPerProcessNoise_AndKeepsTheRegression()
    {
        var recording = await fixture.RecordPerProcessAsync("test-baseline-recording");
        await using var baseline = await SampleService.StartAsync(Regression.None, perProcessField: true);
        await using var candidate = await SampleService.StartAsync(Regression.ChangedField, perProcessField: true);

        var run = await RepriseExe.RunAsync(["test", recording, "-t", candidate.Address.ToString(), "--baseline", baseline.Address.ToString(), "--speed", "100", "--fail-if", FunctionalGate, "--json"], TimeSpan.FromSeconds(120));

        Assert.True(run.ExitCode == 1, run.Stdout + run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var products = json.RootElement.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "GET /api/products/{id}");
        Assert.Equal("body:$.price", Assert.Single(products.GetProperty("locations").EnumerateArray()).GetProperty("location").GetString());
        Assert.Contains(json.RootElement.GetProperty("noise").EnumerateArray(), n => n.GetProperty("location").GetString() == "body:$.instance" && n.GetProperty("source").GetString() == "baseline");
        Assert.Equal("baseline", json.RootElement.GetProperty("latencyReference").GetString());
    }

    [Fact]
    public async Task Test_BadFlags_AreReportedBeforeAnythingIsSent()
    {
        var run = await RepriseExe.RunAsync(["test", fixture.Recording, "--target", "ftp://x", "--fail-if", "diffs >"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--fail-if: column 8", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// QA5 finding: <c>reprise test -o results.reprise.jsonl</c> against a target that was not up yet exited 3 (unreachable)
    /// but left a header-only results file, so the rerun once the app was up failed with "--out: ... already exists".
    /// Like <c>reprise replay</c>, a run that replayed nothing leaves no results file behind.
    /// </summary>
    [Fact]
    public async Task Test_UnreachableTarget_LeavesNoResultsFile_SoTheRerunIsNotRefused()
    {
        var keep = Path.Combine(fixture.Directory, "unreachable-" + Guid.NewGuid().ToString("N") + ".reprise.jsonl");

        var run = await RepriseExe.RunAsync(["test", fixture.Recording, "-t", "http://127.0.0.1:1", "-o", keep]);

        Assert.True(run.ExitCode == 3, run.Stdout + run.Stderr);
        Assert.Contains("unreachable", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(keep), "a results file was left behind");
    }

    [Fact]
    public async Task Diff_BaselineUrl_PointsToTest()
    {
        var run = await RepriseExe.RunAsync(["diff", fixture.Recording, fixture.Recording, "--baseline", "http://127.0.0.1:1/"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("a URL is replayed by 'reprise test'", run.Stderr, StringComparison.Ordinal);
    }
}
