using System.Diagnostics;
using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.EndToEnd;

/// <summary>Through the reprise executable: listening line, strict exit codes, bad input, export.</summary>
public sealed class MockCliTests
{
    [Fact]
    public async Task Mock_StrictWithMiss_Exit1AndMissReport()
    {
        using var dir = new TempDir();
        var recording = dir.File("deps.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(recording, [MockFixtures.Get("https://api.test/ok", """{"ok":true}""")]);
        using var process = RepriseExe.Start(["mock", recording, "--listen", "127.0.0.1:0", "--strict", "--miss-report", dir.File("misses.json")]);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            var first = await FirstLineAsync(process);
            Assert.Matches(@"^listening on http://127\.0\.0\.1:\d+$", first);
            using var client = new HttpClient { BaseAddress = new Uri(first!["listening on ".Length..]) };
            Assert.Equal("""{"ok":true}""", await client.GetStringAsync("/ok", TestContext.Current.CancellationToken));
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/nope", TestContext.Current.CancellationToken)).StatusCode);
            await TerminateAsync(process);
        }
        finally
        {
            KillIfRunning(process);
        }

        Assert.Equal(1, process.ExitCode);
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(dir.File("misses.json"), TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(1, report.GetProperty("misses").GetInt32());
        Assert.Equal("GET", report.GetProperty("requests")[0].GetProperty("method").GetString());
        var log = await stderr;
        Assert.Contains("serving 1 outbound exchange for 1 host; chaos seed ", log, StringComparison.Ordinal); // was "1 exchanges for 1 host(s)"
        Assert.Contains("served 1 request, 1 missed; misses written to ", log, StringComparison.Ordinal); // was "served 1 requests"
    }

    [Fact]
    public async Task Mock_StrictWithoutMiss_Exit0()
    {
        using var dir = new TempDir();
        var recording = dir.File("deps.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(recording, [MockFixtures.Get("https://api.test/ok")]);
        using var process = RepriseExe.Start(["mock", recording, "--strict"]);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken); // drained: a full pipe would block the server
        try
        {
            var first = await FirstLineAsync(process);
            using var client = new HttpClient { BaseAddress = new Uri(first!["listening on ".Length..]) };
            await client.GetStringAsync("/ok", TestContext.Current.CancellationToken);
            await TerminateAsync(process);
        }
        finally
        {
            KillIfRunning(process);
        }

        Assert.True(process.ExitCode == 0, await stderr);
    }

    [Fact]
    public async Task Mock_InboundOnlyOrEmptyRecording_Exit2OneLine()
    {
        using var dir = new TempDir();
        var inbound = dir.File("in.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(inbound, [Exchanges.Get("https://svc.test/x")]);
        var result = await RepriseExe.RunAsync(["mock", inbound]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--direction inbound", line, StringComparison.Ordinal);

        var empty = dir.File("empty.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(empty, []);
        result = await RepriseExe.RunAsync(["mock", empty]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no exchanges", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mock_OnlyUpstreamFailuresTheRecorderAnswered_Exit2OneLine()
    {
        using var dir = new TempDir();
        var path = dir.File("down.reprise.jsonl");
        var failed = Exchanges.Get("https://rates.test/eur") with
        {
            Direction = Direction.Outbound,
            Response = new ExchangeResponse { Status = 502, Headers = [new("Content-Type", "application/json")], Body = ExchangeBody.FromText("""{"error":"upstream unreachable"}""", "application/json") },
            Error = new ExchangeError(ExchangeErrorKind.Connect, "connection refused"),
        };
        await Exchanges.WriteRecordingAsync(path, [failed]);

        var result = await RepriseExe.RunAsync(["mock", path]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("upstream failure", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mock_BadFlags_AllErrorsExit2()
    {
        using var dir = new TempDir();
        var recording = dir.File("deps.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(recording, [MockFixtures.Get("https://api.test/ok")]);
        var result = await RepriseExe.RunAsync(["mock", recording, "--listen", "nowhere", "--latency", "slow", "--error-rate", "1.5", "--rate-limit", "lots", "--key", "fuzzy"]);
        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("reprise: error: --", l, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--listen")]
    [InlineData("--h2c-listen")]
    [InlineData("--proxy-listen")]
    public async Task Mock_PortInUse_OneLineNamingTheFlag_Exit2(string flag)
    {
        using var dir = new TempDir();
        var recording = dir.File("deps.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(recording, [MockFixtures.Get("https://api.test/ok")]);
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var address = $"127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}";
        string[] args = flag == "--listen" ? ["mock", recording, "--listen", address] : ["mock", recording, "--listen", "127.0.0.1:0", flag, address];
        var result = await RepriseExe.RunAsync(args, environment: new Dictionary<string, string> { ["REPRISE_HOME"] = dir.File("home") });
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"reprise: error: {flag} {address}: cannot listen: Address already in use", line);
    }

    [Fact]
    public async Task Mock_AddressNotOnThisHost_OneLineNamingTheFlag_Exit2()
    {
        using var dir = new TempDir();
        var recording = dir.File("deps.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(recording, [MockFixtures.Get("https://api.test/ok")]);
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a host.
        var result = await RepriseExe.RunAsync(["mock", recording, "--listen", "127.0.0.1:0", "--h2c-listen", "192.0.2.1:0"]);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("reprise: error: --h2c-listen 192.0.2.1:0: cannot listen: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mock_TwoFlagsOnOneAddress_IsUsageError()
    {
        using var dir = new TempDir();
        var recording = dir.File("deps.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(recording, [MockFixtures.Get("https://api.test/ok")]);
        var result = await RepriseExe.RunAsync(["mock", recording, "--listen", "127.0.0.1:18099", "--h2c-listen", "127.0.0.1:18099"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("reprise: error: --h2c-listen: 127.0.0.1:18099 is also the --listen address; use another port", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Mock_BadLine_SuggestsSkipInvalid_WhichServesTheRest()
    {
        using var dir = new TempDir();
        var recording = dir.File("deps.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(recording, [MockFixtures.Get("https://api.test/a", "\"a\""), MockFixtures.Get("https://api.test/b", "\"b\""), MockFixtures.Get("https://api.test/c", "\"c\"")]);
        var lines = await File.ReadAllLinesAsync(recording, TestContext.Current.CancellationToken);
        lines[2] = "{\"id\":\"x\",\"startedAt\":";
        await File.WriteAllLinesAsync(recording, lines, TestContext.Current.CancellationToken);

        var failed = await RepriseExe.RunAsync(["mock", recording]);
        Assert.Equal(2, failed.ExitCode);
        Assert.Contains("--skip-invalid", failed.Stderr, StringComparison.Ordinal);

        using var process = RepriseExe.Start(["mock", recording, "--skip-invalid"]);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var first = await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken);
        Assert.Matches(@"^listening on http://127\.0\.0\.1:\d+$", first);
        using var client = new HttpClient { BaseAddress = new Uri(first!["listening on ".Length..]) };
        Assert.Equal("\"a\"", await client.GetStringAsync("/a", TestContext.Current.CancellationToken));
        Assert.Equal("\"c\"", await client.GetStringAsync("/c", TestContext.Current.CancellationToken));
        await TerminateAsync(process);
        Assert.Equal(0, process.ExitCode);
        Assert.Contains($"warning: {recording}:3:", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_WireMock_WritesMappings()
    {
        using var dir = new TempDir();
        var recording = dir.File("deps.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(recording, [MockFixtures.Get("https://api.test/a"), MockFixtures.Get("https://api.test/b")]);
        var result = await RepriseExe.RunAsync(["export", recording, "--format", "wiremock", "-o", dir.File("wm")]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(dir.File("wm"), "mappings"), "*.json").Length);
        var again = await RepriseExe.RunAsync(["export", recording, "--format", "wiremock", "-o", dir.File("wm")]);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("not empty", again.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The server's first stdout line (its address), or a failure after 30 s instead of a hang.</summary>
    private static async Task<string?> FirstLineAsync(Process process) =>
        await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    /// <summary>Never leaves a server behind when the test fails half-way.</summary>
    private static void KillIfRunning(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static async Task TerminateAsync(Process process)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
    }
}
