using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Replay.Tests.EndToEnd;

/// <summary>
/// record, replay, diff on a server-sent-events app whose stream never ends (only its client closes it): the replay of
/// the closed stream used to run until --timeout and be reported as a timeout; it ends as the recorded client did, at
/// once, and the diff compares the events.
/// </summary>
public sealed class EventStreamLoopTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sends a price event per tick in <paramref name="currency"/> (CRLF line ends, a comment first), and never ends the stream.</summary>
    private static Task<TestKestrel> StartPricesAsync(string currency) => TestKestrel.StartAsync(app => app.MapGet("/prices/stream", async (HttpContext context) =>
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        try
        {
            await context.Response.WriteAsync(": connected\r\n\r\n", context.RequestAborted);
            for (var i = 1; ; i++)
            {
                await context.Response.WriteAsync($"id: {i}\r\nevent: price\r\ndata: {{\"tick\":{i},\"currency\":\"{currency}\"}}\r\n\r\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(i < 2 ? 50 : 60_000, context.RequestAborted); // two events, then silence
            }
        }
        catch (OperationCanceledException)
        {
            // the client closed the stream
        }
    }));

    [Fact]
    public async Task RecordReplayDiff_OnAnEventStreamTheClientCloses_EndsPromptly_AndComparesTheEvents()
    {
        using var dir = new TempDir();
        var recording = dir.File("rec.reprise.jsonl");
        await using (var app = await StartPricesAsync("EUR"))
        {
            using var recorder = RepriseExe.Start(["record", "--upstream", app.Address.ToString(), "--listen", "127.0.0.1:0", "-o", recording]);
            try
            {
                var first = await recorder.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
                var address = new Uri(first!["listening on ".Length..]);
                using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
                using (var response = await client.GetAsync(new Uri(address, "/prices/stream"), HttpCompletionOption.ResponseHeadersRead, Ct))
                using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct)))
                {
                    var events = 0;
                    while (events < 2 && await reader.ReadLineAsync(Ct) is { } line)
                    {
                        events += line.StartsWith("data:", StringComparison.Ordinal) ? 1 : 0;
                    }

                    await reader.ReadLineAsync(Ct); // the blank line ending the second event
                } // the client closes the stream after two events

                await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
            }
            finally
            {
                using (var term = Process.Start("kill", ["-TERM", recorder.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync(Ct);
                }

                await recorder.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            }
        }

        var recorded = Assert.Single(await Exchanges.ReadAllAsync(recording));
        Assert.Equal(ExchangeErrorKind.Canceled, recorded.Error?.Kind);

        await using (var same = await StartPricesAsync("EUR"))
        {
            var started = Stopwatch.GetTimestamp();
            var replay = await RepriseExe.RunAsync(["replay", recording, "--target", same.Address.ToString(), "--timeout", "30", "-o", dir.File("same.reprise.jsonl")], TimeSpan.FromSeconds(60));
            var took = Stopwatch.GetElapsedTime(started);
            Assert.True(replay.ExitCode == 0, replay.Stderr);
            Assert.True(took < TimeSpan.FromSeconds(20), $"replay took {took} (--timeout 30; the recorded client closed the stream after two events)");
            var result = Assert.Single(await Exchanges.ReadAllAsync(dir.File("same.reprise.jsonl")));
            Assert.Equal("ended by the client as recorded: after 2 event(s)", result.Error?.Message);
            Assert.Contains("errors: none", replay.Stdout, StringComparison.Ordinal); // ended as recorded: answered, not an error
            var diff = await RepriseExe.RunAsync(["diff", recording, dir.File("same.reprise.jsonl")], TimeSpan.FromSeconds(60));
            Assert.True(diff.ExitCode == 0, diff.Stdout + diff.Stderr);
        }

        await using (var changed = await StartPricesAsync("USD"))
        {
            var replay = await RepriseExe.RunAsync(["replay", recording, "--target", changed.Address.ToString(), "--timeout", "30", "-o", dir.File("changed.reprise.jsonl")], TimeSpan.FromSeconds(60));
            Assert.True(replay.ExitCode == 0, replay.Stderr);
            var diff = await RepriseExe.RunAsync(["diff", recording, dir.File("changed.reprise.jsonl")], TimeSpan.FromSeconds(60));
            Assert.True(diff.ExitCode == 1, diff.Stdout + diff.Stderr);
            Assert.Contains("EUR", diff.Stdout, StringComparison.Ordinal);
        }
    }
}
