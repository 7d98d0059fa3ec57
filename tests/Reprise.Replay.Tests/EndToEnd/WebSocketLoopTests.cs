using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Testing;
using Xunit;

namespace Reprise.Replay.Tests.EndToEnd;

/// <summary>
/// The loop on a WebSocket app through the published executable: record a chat session in front of it, replay the
/// recording against a fresh instance, and diff passes; against a build that answers differently, diff fails on the message.
/// </summary>
public sealed class WebSocketLoopTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Greets, then answers each message with its text and total (in <paramref name="currency"/>), in turn.</summary>
    private static Task<TestKestrel> StartShopAsync(string currency) => TestKestrel.StartAsync(app =>
    {
        app.UseWebSockets();
        app.Map("/ws/cart", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await socket.SendAsync("""{"type":"hello","cart":[]}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[4096];
            var total = 0;
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                var item = Encoding.UTF8.GetString(buffer, 0, received.Count);
                total += item.Length;
                var reply = $$"""{"type":"added","item":"{{item}}","total":{{total}},"currency":"{{currency}}"}""";
                await socket.SendAsync(Encoding.UTF8.GetBytes(reply), WebSocketMessageType.Text, true, CancellationToken.None);
            }
        });
    });

    [Fact]
    public async Task RecordReplayDiff_OnAWebSocketApp_PassesUnchanged_AndFailsOnAChangedMessage()
    {
        using var dir = new TempDir();
        var recording = dir.File("rec.reprise.jsonl");
        await using (var app = await StartShopAsync("EUR"))
        {
            using var recorder = RepriseExe.Start(["record", "--upstream", app.Address.ToString(), "--listen", "127.0.0.1:0", "-o", recording]);
            try
            {
                var first = await recorder.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
                var address = new Uri(first!["listening on ".Length..]);
                using var client = new ClientWebSocket();
                await client.ConnectAsync(new Uri($"ws://{address.Authority}/ws/cart"), Ct);
                var buffer = new byte[4096];
                await client.ReceiveAsync(buffer, Ct); // hello
                foreach (var item in new[] { "mug", "teapot" })
                {
                    await client.SendAsync(Encoding.UTF8.GetBytes(item), WebSocketMessageType.Text, true, Ct);
                    await client.ReceiveAsync(buffer, Ct);
                }

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

        // A fresh instance of the same app: the replayed session says the same; the diff passes.
        await using (var same = await StartShopAsync("EUR"))
        {
            var replay = await RepriseExe.RunAsync(["replay", recording, "--target", same.Address.ToString(), "--speed", "10", "-o", dir.File("same.reprise.jsonl")], TimeSpan.FromSeconds(60));
            Assert.True(replay.ExitCode == 0, replay.Stderr);
            var diff = await RepriseExe.RunAsync(["diff", recording, dir.File("same.reprise.jsonl")], TimeSpan.FromSeconds(60));
            Assert.True(diff.ExitCode == 0, diff.Stdout + diff.Stderr);
        }

        // A build that answers in another currency: the diff fails and names the message field.
        await using (var changed = await StartShopAsync("USD"))
        {
            var replay = await RepriseExe.RunAsync(["replay", recording, "--target", changed.Address.ToString(), "--speed", "10", "-o", dir.File("changed.reprise.jsonl")], TimeSpan.FromSeconds(60));
            Assert.True(replay.ExitCode == 0, replay.Stderr);
            var diff = await RepriseExe.RunAsync(["diff", recording, dir.File("changed.reprise.jsonl")], TimeSpan.FromSeconds(60));
            Assert.True(diff.ExitCode == 1, diff.Stdout + diff.Stderr);
            Assert.True(diff.Stdout.Contains("message[1]:$.currency: EUR → USD", StringComparison.Ordinal), diff.Stdout);
        }
    }
}
