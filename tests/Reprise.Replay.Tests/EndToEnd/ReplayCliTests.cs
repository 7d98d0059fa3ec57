using System.Diagnostics;
using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Core.Recording;
using Reprise.Replay.Merge;
using Reprise.Replay.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Replay.Tests.EndToEnd;

/// <summary>End-to-end through the reprise executable.</summary>
public sealed class ReplayCliTests
{
    [Fact]
    public async Task Replay_WritesResultsAndSummary()
    {
        using var dir = new TempDir();
        await using var target = await CountingTarget.StartAsync();
        var recorded = Enumerable.Range(0, 10).Select(i => Recorded.Request(i % 2 == 0 ? "GET" : "POST", "/items/" + i, i * 0.01, session: "s" + (i % 3), body: i % 2 == 0 ? null : "{\"n\":" + i + "}")).ToList();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), recorded);

        var result = await RepriseExe.RunAsync(["replay", dir.File("rec.reprise.jsonl"), "--target", target.Address.ToString(), "--speed", "10", "--multiplier", "2", "-o", dir.File("results.reprise.jsonl"), "--summary-json", dir.File("summary.json")]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(20, target.Count);
        Assert.Contains("sent 20 requests", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("wrote 20 results to ", result.Stderr, StringComparison.Ordinal); // the count the file holds (RecordingResultSink.Written)
        var header = await new RecordingReader(dir.File("results.reprise.jsonl")).ReadHeaderAsync();
        Assert.Equal("replay", header.Capture["source"]);
        Assert.Equal("2", header.Capture["multiplier"]);
        Assert.Equal("rec.reprise.jsonl", header.Capture["recording"]);
        var results = await Exchanges.ReadAllAsync(dir.File("results.reprise.jsonl"));
        Assert.Equal(20, results.Count);
        Assert.All(results, r => Assert.Contains(r.Tags[WellKnownTags.ReplayOf], recorded.Select(x => x.Id)));
        using var summary = JsonDocument.Parse(File.ReadAllText(dir.File("summary.json")));
        Assert.Equal(20, summary.RootElement.GetProperty("sent").GetInt32());
        Assert.Equal(20, summary.RootElement.GetProperty("statusClasses").GetProperty("2xx").GetInt32());
        Assert.True(summary.RootElement.GetProperty("latencyMs").GetProperty("p99").GetDouble() > 0);
    }

    /// <summary>A run of one request says "1 request", "1 session", "1 result" (it said "sent 1 requests", "wrote 1 results").</summary>
    [Fact]
    public async Task Replay_OneRequest_SummaryLinesAreSingular()
    {
        using var dir = new TempDir();
        await using var target = await CountingTarget.StartAsync();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [Recorded.Request("GET", "/items/1", 0, session: "s")]);

        var result = await RepriseExe.RunAsync(["replay", dir.File("rec.reprise.jsonl"), "--target", target.Address.ToString(), "-o", dir.File("results.reprise.jsonl")]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("sent 1 request in ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("; 1 session; ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("wrote 1 result to ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_UnreachableTarget_ExitsThreeWithinFiveSeconds()
    {
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [Recorded.Request("GET", "/", 0)]);
        using var closed = ClosedPort.Reserve();
        var watch = Stopwatch.StartNew();
        var result = await RepriseExe.RunAsync(["replay", dir.File("rec.reprise.jsonl"), "--target", $"http://127.0.0.1:{closed.Port}", "-o", dir.File("out.reprise.jsonl")], TimeSpan.FromSeconds(30));
        watch.Stop();
        Assert.Equal(3, result.ExitCode);
        // The 5 s budget itself is held in-process (ReplayerTests.UnreachableTarget_FailsWithinFiveSeconds); here a
        // cold process start (runtime load, JIT) on a loaded machine comes on top, so the bound is 5 s + 10 s of
        // start-up: still far below what waiting on connect timeouts or retries would take.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5) + TimeSpan.FromSeconds(10), watch.Elapsed.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("unreachable", line, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.reprise.jsonl")));
    }

    [Fact]
    public async Task Replay_HttpsTargetWithUntrustedCertificate_ExitsThreeWithOneLine_AndInsecureReplays()
    {
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [Recorded.Request("GET", "/", 0), Recorded.Request("GET", "/two", 0.01)]);
        var hits = 0;
        await using var server = await Engine.TlsPreflightTests.SelfSignedServer.StartAsync(() => Interlocked.Increment(ref hits));

        var refused = await RepriseExe.RunAsync(["replay", dir.File("rec.reprise.jsonl"), "--target", server.Address.ToString(), "-o", dir.File("out.reprise.jsonl")], TimeSpan.FromSeconds(30));
        Assert.Equal(3, refused.ExitCode);
        var line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("certificate not trusted", line, StringComparison.Ordinal);
        Assert.Contains("--insecure", line, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.reprise.jsonl")));
        Assert.Equal(0, hits);

        var insecure = await RepriseExe.RunAsync(["replay", dir.File("rec.reprise.jsonl"), "--target", server.Address.ToString(), "--insecure", "--speed", "10"], TimeSpan.FromSeconds(30));
        Assert.True(insecure.ExitCode == 0, insecure.Stderr);
        Assert.Equal(2, hits);
        Assert.Contains("sent 2 requests", insecure.Stdout, StringComparison.Ordinal);
        Assert.Contains("errors: none", insecure.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_NoInboundExchanges_ExitsTwoWithOneLine()
    {
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [Recorded.Request("GET", "/dep", 0) with { Direction = Direction.Outbound }]);
        var result = await RepriseExe.RunAsync(["replay", dir.File("rec.reprise.jsonl"), "--target", "http://127.0.0.1:9"]);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("no inbound exchanges", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_BadFlags_ListEveryErrorAndExitTwo()
    {
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [Recorded.Request("GET", "/", 0)]);
        var result = await RepriseExe.RunAsync(["replay", dir.File("rec.reprise.jsonl"), "--target", "ftp://x", "--shard", "9/8", "--ramp", "fast", "-H", "nocolon", "--rate", "10", "--vus", "2"]);
        Assert.Equal(2, result.ExitCode);
        foreach (var flag in new[] { "--target", "--shard", "--ramp", "--header", "--rate and --vus" })
        {
            Assert.Contains($"error: {flag}", result.Stderr, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--speed", "1e-9", "--time-shift", "10000000d")]
    [InlineData("--rate", "0.0000001", "--time-shift", "-99999999999999d")]
    [InlineData("--speed", "0", "--time-shift", "876000000h")]
    public async Task Replay_OutOfRangePaceOrTimeShift_OneLineEachExitTwo(string paceFlag, string pace, string shiftFlag, string shift)
    {
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [Recorded.Request("GET", "/", 0)]);
        var result = await RepriseExe.RunAsync(["replay", dir.File("rec.reprise.jsonl"), "--target", "http://127.0.0.1:9", paceFlag, pace, shiftFlag, shift]);
        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"reprise: error: {paceFlag}: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"reprise: error: {shiftFlag}: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Shards_RunAsProcesses_MergeEqualsSingleProcessRun()
    {
        using var dir = new TempDir();
        await using var target = await CountingTarget.StartAsync();
        var recorded = Enumerable.Range(0, 60).Select(i => Recorded.Request("GET", (i % 3 == 0 ? "/a/" : "/b/") + i, i * 0.001, session: "user" + (i % 11))).ToList();
        var rec = dir.File("rec.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(rec, recorded);
        string[] Common(string output) => ["replay", rec, "--target", target.Address.ToString(), "--vus", "4", "--multiplier", "2", "--run-id", "r1", "-o", output, "-q"];

        var single = await RepriseExe.RunAsync([.. Common(dir.File("single.reprise.jsonl")), "--summary-json", dir.File("single.json")]);
        Assert.True(single.ExitCode == 0, single.Stderr);
        var shards = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => RepriseExe.RunAsync([.. Common(dir.File($"results-{i}.reprise.jsonl")), "--shard", $"{i}/3"])));
        Assert.All(shards, s => Assert.True(s.ExitCode == 0, s.Stderr));
        var merge = await RepriseExe.RunAsync(["merge", dir.File("results-1.reprise.jsonl"), dir.File("results-2.reprise.jsonl"), dir.File("results-3.reprise.jsonl"), "-o", dir.File("merged.reprise.jsonl"), "--summary-json", dir.File("merged.json")]);
        Assert.True(merge.ExitCode == 0, merge.Stderr);

        static List<string> Keys(List<Exchange> results) => [.. results.Select(r => $"{r.Tags[WellKnownTags.ReplayOf]}#{r.Tags[WellKnownTags.ReplayCopy]}#{r.Response?.Status}").Order()];
        var singleResults = await Exchanges.ReadAllAsync(dir.File("single.reprise.jsonl"));
        var merged = await Exchanges.ReadAllAsync(dir.File("merged.reprise.jsonl"));
        Assert.Equal(120, singleResults.Count);
        Assert.Equal(Keys(singleResults), Keys(merged));

        using var singleJson = JsonDocument.Parse(File.ReadAllText(dir.File("single.json")));
        using var mergedJson = JsonDocument.Parse(File.ReadAllText(dir.File("merged.json")));
        static Dictionary<string, string> Endpoints(JsonDocument doc) => doc.RootElement.GetProperty("endpoints").EnumerateArray()
            .ToDictionary(e => e.GetProperty("endpoint").GetString()!, e => $"{e.GetProperty("count")}/{e.GetProperty("2xx")}/{e.GetProperty("errors")}");
        Assert.Equal(Endpoints(singleJson), Endpoints(mergedJson));
        Assert.Equal(singleJson.RootElement.GetProperty("sent").GetInt32(), mergedJson.RootElement.GetProperty("sent").GetInt32());

        // Exact: the merged histogram equals the sum of the shard histograms (not an average of percentiles).
        var parts = new Core.Analysis.LatencyHistogram();
        for (var i = 1; i <= 3; i++)
        {
            parts.Add((await ResultMerger.SummarizeAsync(dir.File($"results-{i}.reprise.jsonl"))).Overall());
        }

        var whole = (await ResultMerger.SummarizeAsync(dir.File("merged.reprise.jsonl"))).Overall();
        Assert.Equal(parts.Count, whole.Count);
        foreach (var p in new[] { 50.0, 90, 99, 100 })
        {
            Assert.Equal(parts.PercentileMs(p), whole.PercentileMs(p));
        }

        Assert.Equal(mergedJson.RootElement.GetProperty("latencyMs").GetProperty("p99").GetDouble(), whole.PercentileMs(99));
    }
}
