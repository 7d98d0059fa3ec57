using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Core.Recording;
using Reprise.Testing;
using Xunit;

namespace Reprise.Capture.Tests.EndToEnd;

/// <summary>Through the real <c>reprise</c> executable.</summary>
public sealed class RecordCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Record_Sigterm_DrainsFlushesAndExitsZero()
    {
        await using var upstream = await TestKestrel.StartAsync(app => app.MapGet("/items/{id}", (int id) => Results.Json(new { id })));
        using var dir = new TempDir();
        var output = dir.File("rec.reprise.jsonl");
        using var process = RepriseExe.Start(["record", "--upstream", upstream.Address.ToString(), "--listen", "127.0.0.1:0", "--proxy-listen", "127.0.0.1:0", "-o", output], environment: new Dictionary<string, string> { ["REPRISE_HOME"] = dir.File("home") });
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        try
        {
            var first = await process.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
            var second = await process.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.Matches(@"^listening on http://127\.0\.0\.1:\d+$", first);
            Assert.Matches(@"^proxy listening on http://127\.0\.0\.1:\d+$", second);
            var address = new Uri(first!["listening on ".Length..]);
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            Assert.Equal("ok\n", await client.GetStringAsync(new Uri(address, "/_reprise/health"), Ct));
            for (var i = 0; i < 25; i++)
            {
                Assert.Equal($"{{\"id\":{i}}}", await client.GetStringAsync(new Uri(address, "/items/" + i), Ct));
            }

            await Task.Delay(TimeSpan.FromSeconds(5.5), Ct); // one plain status line (stderr is not a TTY)
            Signal(process, "TERM");
            await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var err = await stderr;
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("record: 25 exchanges", err, StringComparison.Ordinal);
        Assert.Contains("recorded 25 exchanges to " + output, err, StringComparison.Ordinal);
        var reader = new RecordingReader(output);
        var header = await reader.ReadHeaderAsync(Ct);
        Assert.Equal("record", header.Capture["source"]);
        var exchanges = new List<Exchange>();
        await foreach (var exchange in reader.ReadAsync(Ct))
        {
            exchanges.Add(exchange);
        }

        Assert.Equal(25, exchanges.Count);
        Assert.True(File.Exists(dir.File("home/ca/reprise-ca.pem")), "the CA is created on first --proxy-listen");
    }

    /// <summary>One exchange that failed: the status and summary lines say "1 exchange", "1 error" (it said "1 errors").</summary>
    [Fact]
    public async Task Record_OneFailedExchange_StatusAndSummaryLinesAreSingular()
    {
        using var closed = ClosedPort.Reserve();
        using var dir = new TempDir();
        var output = dir.File("rec.reprise.jsonl");
        using var process = RepriseExe.Start(["record", "--upstream", $"http://127.0.0.1:{closed.Port}", "--listen", "127.0.0.1:0", "-o", output]);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        try
        {
            var first = await process.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
            var address = new Uri(first!["listening on ".Length..]);
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            using (var response = await client.GetAsync(new Uri(address, "/items/1"), Ct))
            {
                Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            }

            await Task.Delay(TimeSpan.FromSeconds(5.5), Ct); // one plain status line (stderr is not a TTY)
            Signal(process, "TERM");
            await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var err = await stderr;
        Assert.Equal(0, process.ExitCode);
        Assert.Matches(@"record: 1 exchange \([^)]*\), [^,]+ bodies, 1 error, p99", err);
        Assert.DoesNotContain("1 errors", err, StringComparison.Ordinal);
        Assert.Contains("recorded 1 exchange to " + output, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_Kill9_LosesAtMostTheLastFlushInterval()
    {
        await using var upstream = await TestKestrel.StartAsync(app => app.MapGet("/k/{id}", (int id) => id));
        using var dir = new TempDir();
        var output = dir.File("rec.reprise.jsonl");
        using var process = RepriseExe.Start(["record", "--upstream", upstream.Address.ToString(), "--listen", "127.0.0.1:0", "-o", output]);
        try
        {
            var first = await process.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
            var address = new Uri(first!["listening on ".Length..]);
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            for (var i = 0; i < 40; i++)
            {
                await client.GetStringAsync(new Uri(address, "/k/" + i), Ct);
            }

            // The recorder flushes at least every second without being asked: wait (bounded) until the header and
            // the 40 lines are on disk rather than assuming a fixed delay is enough on a loaded machine. A recorder
            // that kept them buffered until a clean shutdown never gets there and fails here.
            var lines = await WaitForCompleteLinesAsync(output, 1 + 40, TimeSpan.FromSeconds(15));
            Assert.True(lines >= 41, $"only {lines} complete lines on disk 15 s after the last response");
            Signal(process, "KILL");
            await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var count = 0;
        await foreach (var _ in new RecordingReader(output).ReadAsync(Ct))
        {
            count++;
        }

        Assert.Equal(40, count);
    }

    /// <summary>Polls the file until it holds <paramref name="expected"/> newline-terminated lines or the deadline passes; returns the last count.</summary>
    private static async Task<int> WaitForCompleteLinesAsync(string path, int expected, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        var lines = 0;
        while (true)
        {
            if (File.Exists(path))
            {
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var buffer = new byte[64 * 1024];
                lines = 0;
                int read;
                while ((read = await file.ReadAsync(buffer, Ct)) > 0)
                {
                    lines += buffer.AsSpan(0, read).Count((byte)'\n');
                }
            }

            if (lines >= expected || clock.Elapsed > deadline)
            {
                return lines;
            }

            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task Record_BadFlags_EveryErrorOnItsOwnLine_Exit2()
    {
        using var dir = new TempDir();
        var result = await RepriseExe.RunAsync(["record", "--upstream", "ftp://x", "--max-body", "lots", "--sample", "2", "--listen", "nowhere:1", "--upstream-ca", dir.File("missing.pem"), "--include-path", "api", "-o", dir.File("r.jsonl")]);
        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Trim().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("reprise: error: --upstream: 'ftp://x'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("reprise: error: --max-body: 'lots'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("reprise: error: --sample: 2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("reprise: error: --listen: 'nowhere:1'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("reprise: error: --upstream-ca: " + dir.File("missing.pem"), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("reprise: error: --include-path: 'api' must start with /", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("r.jsonl")));
    }

    [Fact]
    public async Task Record_NothingToDo_Exit2()
    {
        var result = await RepriseExe.RunAsync(["record", "-o", "x.jsonl"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("give --upstream URL", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_PortInUse_OneLine_Exit2_NoFileLeft()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        using var dir = new TempDir();
        var result = await RepriseExe.RunAsync(["record", "--upstream", "http://127.0.0.1:1", "--listen", $"127.0.0.1:{port}", "-o", dir.File("r.jsonl")]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"reprise: error: --listen 127.0.0.1:{port}: cannot listen", result.Stderr.Trim().Split('\n')[^1][..($"reprise: error: --listen 127.0.0.1:{port}: cannot listen".Length)]);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("r.jsonl")));
    }

    [Fact]
    public async Task Record_ForceWithPortInUse_LeavesTheExistingRecordingIntact()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        using var dir = new TempDir();
        var path = dir.File("r.reprise.jsonl");
        await File.WriteAllTextAsync(path, "an earlier recording", Ct);

        var result = await RepriseExe.RunAsync(["record", "--upstream", "http://127.0.0.1:1", "--listen", $"127.0.0.1:{port}", "-o", path, "--force"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("an earlier recording", await File.ReadAllTextAsync(path, Ct));
        Assert.Equal([path], Directory.GetFiles(dir.Path)); // no temporary file left behind
    }

    [Fact]
    public async Task Record_ExistingOutput_Exit2WithoutForce()
    {
        using var dir = new TempDir();
        var path = dir.File("r.reprise.jsonl");
        await File.WriteAllTextAsync(path, "keep me", Ct);
        var result = await RepriseExe.RunAsync(["record", "--upstream", "http://127.0.0.1:1", "--listen", "127.0.0.1:0", "-o", path]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already exists", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(path, Ct));
    }

    [Fact]
    public async Task Ca_InitPathTrust_UnderRepriseHome()
    {
        using var dir = new TempDir();
        var env = new Dictionary<string, string> { ["REPRISE_HOME"] = dir.Path };
        var missing = await RepriseExe.RunAsync(["ca", "path"], environment: env);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("reprise ca init", missing.Stderr, StringComparison.Ordinal);

        var init = await RepriseExe.RunAsync(["ca", "init"], environment: env);
        Assert.Equal(0, init.ExitCode);
        Assert.Contains("SHA-256 fingerprint:", init.Stdout, StringComparison.Ordinal);
        var again = await RepriseExe.RunAsync(["ca", "init"], environment: env);
        Assert.Contains("CA exists", again.Stdout, StringComparison.Ordinal);

        var path = await RepriseExe.RunAsync(["ca", "path"], environment: env);
        Assert.Equal(Path.Combine(dir.Path, "ca", "reprise-ca.pem"), path.Stdout.Trim());

        var trust = await RepriseExe.RunAsync(["ca", "trust", "--dry-run"], environment: env);
        Assert.Equal(0, trust.ExitCode);
        Assert.Contains("SSL_CERT_FILE", trust.Stdout, StringComparison.Ordinal);
        Assert.Contains("NODE_EXTRA_CA_CERTS", trust.Stdout, StringComparison.Ordinal);
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
