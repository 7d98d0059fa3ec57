using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Cli;

/// <summary>
/// Record, replay and diff through the executable on a JSON-RPC-over-WebSocket service that answers pending calls together:
/// the recorded build answers them in the order they came, the replayed builds in reverse. The reordered answers are no
/// difference; a changed result on one call is named at its recorded message; a lost answer is reported by its id.
/// </summary>
public sealed class WebSocketMultiplexCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>How a build answers: <paramref name="reversed"/> order, the result of <paramref name="changedId"/> off by one, <paramref name="droppedId"/> never answered.</summary>
    private static Task<TestKestrel> StartAsync(bool reversed, int changedId = 0, int droppedId = 0) => TestKestrel.StartAsync(app =>
    {
        app.UseWebSockets();
        app.Map("/rpc", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await socket.SendAsync("""{"jsonrpc":"2.0","method":"ready"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[4096];
            var pending = new List<(int Id, string Item)>();
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                using var call = JsonDocument.Parse(buffer.AsMemory(0, received.Count));
                pending.Add((call.RootElement.GetProperty("id").GetInt32(), call.RootElement.GetProperty("params").GetProperty("item").GetString()!));
                if (pending.Count < 2)
                {
                    continue; // answered together, as a server multiplexing slow back ends would
                }

                foreach (var (id, item) in reversed ? Enumerable.Reverse(pending) : pending)
                {
                    if (id != droppedId)
                    {
                        var total = (item.Length * 10) + (id == changedId ? 1 : 0);
                        var reply = $$$"""{"jsonrpc":"2.0","id":{{{id}}},"result":{"item":"{{{item}}}","total":{{{total}}}}}""";
                        await socket.SendAsync(Encoding.UTF8.GetBytes(reply), WebSocketMessageType.Text, true, CancellationToken.None);
                    }
                }

                pending.Clear();
            }
        });
    });

    [Fact]
    public async Task RepliesInAnotherOrder_Pass_AChangedOrLostReplyIsNamed()
    {
        using var dir = new TempDir();
        var recording = dir.File("rec.reprise.jsonl");
        await using (var app = await StartAsync(reversed: false))
        {
            await RecordAsync(app.Address, recording);
        }

        var reordered = await ReplayAndDiffAsync(recording, dir, "reordered", reversed: true);
        var changed = await ReplayAndDiffAsync(recording, dir, "changed", reversed: true, changedId: 2);
        var lost = await ReplayAndDiffAsync(recording, dir, "lost", reversed: true, droppedId: 1);

        Assert.True(reordered.ExitCode == 0, reordered.Stdout + reordered.Stderr);
        Assert.True(reordered.Stdout.Contains("1 exchange compared, 0 with differences", StringComparison.Ordinal), reordered.Stdout);
        Assert.True(changed.ExitCode == 1, changed.Stdout + changed.Stderr);
        Assert.Contains("message[2]:$.result.total: 60 → 61 (1×)", changed.Stdout, StringComparison.Ordinal); // ready, answer 1, answer 2
        Assert.DoesNotContain("message[1]", changed.Stdout, StringComparison.Ordinal);
        Assert.True(lost.ExitCode == 1, lost.Stdout + lost.Stderr);
        Assert.True(lost.Stdout.Contains("message[id=1]: removed (was {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"item\":\"mug\",\"total\":30}})", StringComparison.Ordinal), lost.Stdout);
        Assert.DoesNotContain("message[2]", lost.Stdout, StringComparison.Ordinal);
    }

    private static async Task<ProcessResult> ReplayAndDiffAsync(string recording, TempDir dir, string name, bool reversed, int changedId = 0, int droppedId = 0)
    {
        await using var build = await StartAsync(reversed, changedId, droppedId);
        var results = dir.File(name + ".reprise.jsonl");
        var replay = await RepriseExe.RunAsync(["replay", recording, "--target", build.Address.ToString(), "--speed", "10", "--timeout", "3s", "-o", results], TimeSpan.FromSeconds(60));
        Assert.True(replay.ExitCode == 0, replay.Stdout + replay.Stderr);
        return await RepriseExe.RunAsync(["diff", recording, results], TimeSpan.FromSeconds(60));
    }

    /// <summary>Records one session through <c>reprise record</c>: two calls sent at once, both answers, close.</summary>
    private static async Task RecordAsync(Uri upstream, string recording)
    {
        using var recorder = RepriseExe.Start(["record", "--upstream", upstream.ToString(), "--listen", "127.0.0.1:0", "-o", recording]);
        try
        {
            var first = await recorder.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
            var address = new Uri(first!["listening on ".Length..]);
            using var client = new ClientWebSocket();
            await client.ConnectAsync(new Uri($"ws://{address.Authority}/rpc"), Ct);
            var buffer = new byte[4096];
            await client.ReceiveAsync(buffer, Ct); // ready
            await client.SendAsync("""{"jsonrpc":"2.0","id":1,"method":"total","params":{"item":"mug"}}"""u8.ToArray(), WebSocketMessageType.Text, true, Ct);
            await client.SendAsync("""{"jsonrpc":"2.0","id":2,"method":"total","params":{"item":"teapot"}}"""u8.ToArray(), WebSocketMessageType.Text, true, Ct);
            await client.ReceiveAsync(buffer, Ct);
            await client.ReceiveAsync(buffer, Ct);
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, Ct);
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
}
