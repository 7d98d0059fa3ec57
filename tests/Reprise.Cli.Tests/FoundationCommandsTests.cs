using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Cli.Tests;

/// <summary>End-to-end: the published reprise executable on the foundation commands.</summary>
public sealed class FoundationCommandsTests : IDisposable
{
    private static readonly string ShopHar = Path.Combine(AppContext.BaseDirectory, "TestData", "shop.har");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Version_PrintsVersionAndExitsZero()
    {
        var result = await RepriseExe.RunAsync(["--version"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout.Trim());
    }

    [Theory]
    [InlineData("import")]
    [InlineData("export")]
    [InlineData("inspect")]
    [InlineData("filter")]
    [InlineData("demo")]
    public async Task Help_EveryCommand_HasExamples(string command)
    {
        var result = await RepriseExe.RunAsync([command, "--help"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Examples:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportInspectExport_ShopHar_RoundTrips()
    {
        var recording = _dir.File("shop.reprise.jsonl.zst");
        var import = await RepriseExe.RunAsync(["import", ShopHar, "-o", recording]);
        Assert.Equal(0, import.ExitCode);
        Assert.Contains("imported 24 exchanges", import.Stderr, StringComparison.Ordinal);

        var inspect = await RepriseExe.RunAsync(["inspect", recording, "--json"]);
        Assert.Equal(0, inspect.ExitCode);
        using var json = JsonDocument.Parse(inspect.Stdout);
        Assert.Equal(24, json.RootElement.GetProperty("exchanges").GetInt32());
        var endpoints = json.RootElement.GetProperty("endpoints").EnumerateArray().ToList();
        var products = Assert.Single(endpoints, e => e.GetProperty("path").GetString() == "/api/products/{id}");
        Assert.Equal("GET", products.GetProperty("method").GetString());
        Assert.Equal(5, products.GetProperty("count").GetInt32());
        Assert.True(products.GetProperty("p99Ms").GetDouble() >= products.GetProperty("p50Ms").GetDouble());

        var har = _dir.File("back.har");
        var export = await RepriseExe.RunAsync(["export", recording, "--format", "har", "-o", har]);
        Assert.Equal(0, export.ExitCode);
        var reimported = _dir.File("again.reprise.jsonl");
        Assert.Equal(0, (await RepriseExe.RunAsync(["import", har, "-o", reimported])).ExitCode);
        Assert.Equal((await Exchanges.ReadAllAsync(recording)).Select(e => e.Id), (await Exchanges.ReadAllAsync(reimported)).Select(e => e.Id));
    }

    [Fact]
    public async Task Filter_ToAHarName_WritesAHarOfTheKeptExchanges()
    {
        // "-o api.har" wrote a recording under a HAR's name: no HAR viewer could open it.
        var har = _dir.File("products.har");
        var filter = await RepriseExe.RunAsync(["filter", ShopHar, "-o", har, "--path", "/api/products/*"]);
        Assert.Equal(0, filter.ExitCode);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(har, TestContext.Current.CancellationToken));
        var entries = json.RootElement.GetProperty("log").GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(5, entries.Count);
        Assert.All(entries, e => Assert.Contains("/api/products/", e.GetProperty("request").GetProperty("url").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inspect_HumanOutput_ShowsEndpointTable()
    {
        var result = await RepriseExe.RunAsync(["inspect", ShopHar]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("24 exchanges", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("/api/products/{id}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("/graphql (Recommendations)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_UnknownDurations_ShowNotApplicable_AndNullInJson()
    {
        // A HAR entry with time -1 and no timings: its latency is unknown, not 0 ms.
        var recording = _dir.File("unknown.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(recording, [Exchanges.Get("http://svc.test/a", durationMs: 0) with { Tags = Exchange.EmptyTags.Add(WellKnownTags.DurationUnknown, "har") }]);

        var table = await RepriseExe.RunAsync(["inspect", recording]);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("n/a", table.Stdout, StringComparison.Ordinal);

        var inspect = await RepriseExe.RunAsync(["inspect", recording, "--json"]);
        Assert.Equal(0, inspect.ExitCode);
        using var json = JsonDocument.Parse(inspect.Stdout);
        var endpoint = Assert.Single(json.RootElement.GetProperty("endpoints").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, endpoint.GetProperty("p50Ms").ValueKind);
        Assert.Equal(JsonValueKind.Null, endpoint.GetProperty("maxMs").ValueKind);
    }

    [Fact]
    public async Task Inspect_OneExchange_SaysExchangeInTheSingular()
    {
        // docs walk: "chat.reprise.jsonl: 1 exchanges over 74 ms".
        var recording = _dir.File("one.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(recording, [Exchanges.Get("http://svc.test/a")]);
        var result = await RepriseExe.RunAsync(["inspect", recording]);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"{recording}: 1 exchange", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(": 1 exchanges", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_MethodStatusPathAndSample_KeepsMatchingOnly()
    {
        var recording = _dir.File("shop.reprise.jsonl");
        await RepriseExe.RunAsync(["import", ShopHar, "-o", recording]);
        var output = _dir.File("gets.reprise.jsonl");

        var result = await RepriseExe.RunAsync(["filter", recording, "-o", output, "--method", "GET", "--status", "2xx", "--path", "/api/**", "--exclude-path", "/api/health"]);

        Assert.Equal(0, result.ExitCode);
        var kept = await Exchanges.ReadAllAsync(output);
        Assert.NotEmpty(kept);
        Assert.All(kept, e =>
        {
            Assert.Equal("GET", e.Request.Method);
            Assert.InRange(e.Response!.Status, 200, 299);
            Assert.StartsWith("https://shop.example.test/api/", e.Request.Url, StringComparison.Ordinal);
            Assert.DoesNotContain("/api/health", e.Request.Url, StringComparison.Ordinal);
        });

        var sampleA = _dir.File("a.reprise.jsonl");
        var sampleB = _dir.File("b.reprise.jsonl");
        await RepriseExe.RunAsync(["filter", recording, "-o", sampleA, "--sample", "0.5", "--seed", "7"]);
        await RepriseExe.RunAsync(["filter", recording, "-o", sampleB, "--sample", "0.5", "--seed", "7"]);
        Assert.Equal((await Exchanges.ReadAllAsync(sampleA)).Select(e => e.Id), (await Exchanges.ReadAllAsync(sampleB)).Select(e => e.Id));
    }

    [Fact]
    public async Task Import_OutboundWithService_TagsEveryExchange()
    {
        var output = _dir.File("deps.reprise.jsonl");
        var result = await RepriseExe.RunAsync(["import", ShopHar, "--direction", "outbound", "--service", "shop-api", "-o", output]);
        Assert.Equal(0, result.ExitCode);
        Assert.All(await Exchanges.ReadAllAsync(output), e =>
        {
            Assert.Equal(Core.Model.Direction.Outbound, e.Direction);
            Assert.Equal("shop-api", e.Service);
        });
    }

    [Fact]
    public async Task Demo_WholeLoop_CatchesRegressionsPassesControlAndStoresNoPii()
    {
        var result = await RepriseExe.RunAsync(["demo", "--dir", _dir.Path], TimeSpan.FromMinutes(3), environment: new Dictionary<string, string> { ["REPRISE_HOME"] = _dir.File("home") });

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("listening on http://127.0.0.1:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Masked before writing", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("exit code 1 (1 = the gate failed", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("exit code 0 (0 = no regressions", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("$.price: removed", result.Stdout, StringComparison.Ordinal); // the renamed field in v2
        Assert.True(File.Exists(_dir.File("report.html")));
        Assert.True(File.Exists(_dir.File("junit.xml")));

        // The demo traffic carries names, emails and card numbers: none may reach the recording.
        var recording = await File.ReadAllTextAsync(_dir.File("shop.reprise.jsonl"), TestContext.Current.CancellationToken);
        string[] pii =
        [
            "ada.lovelace@fastmail.com", "grace.hopper@outlook.com", "alan.turing@protonmail.com", "katherine.j@gmail.com",
            "4539526018159083", "5412301661318603", "4916913909960303", "371482462819484",
            "Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson",
        ];
        Assert.All(pii, value => Assert.DoesNotContain(value, recording, StringComparison.Ordinal));
        var exchanges = await Exchanges.ReadAllAsync(_dir.File("shop.reprise.jsonl"));
        Assert.Contains(exchanges, e => e.Direction == Core.Model.Direction.Outbound && e.TraceId is not null);
    }
}
