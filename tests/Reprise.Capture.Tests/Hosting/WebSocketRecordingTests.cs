using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Capture.Forwarding;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

public sealed class WebSocketRecordingTests
{
    [Fact]
    public async Task WebSocket_RelayedLive_FramesRecordedBothWays()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await TestKestrel.StartAsync(app =>
        {
            app.UseWebSockets();
            app.Map("/ws", async (HttpContext c) =>
            {
                using var socket = await c.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer, c.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", c.RequestAborted);
                        return;
                    }

                    var text = "echo:" + Encoding.UTF8.GetString(buffer, 0, result.Count);
                    await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, c.RequestAborted);
                }
            });
        });
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });
        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{recorder.Server.ReverseAddress!.Port}/ws"), ct);
        var buffer = new byte[1024];
        foreach (var message in new[] { "one", "two" })
        {
            await client.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, ct);
            var result = await client.ReceiveAsync(buffer, ct); // answered before the session ends: nothing is buffered
            Assert.Equal("echo:" + message, Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", ct);

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var exchange = Assert.Single(exchanges);
        Assert.Equal(Protocol.WebSocket, exchange.Protocol);
        Assert.Equal(101, exchange.Response!.Status);
        Assert.Equal(RecordingForwarder.WebSocketServerNote, exchange.Response.Body!.Note);
        var fromServer = exchange.Response.Body.Content.ToArray();
        Assert.Contains("echo:one", Encoding.UTF8.GetString(fromServer), StringComparison.Ordinal); // server frames are unmasked
        Assert.Contains("echo:two", Encoding.UTF8.GetString(fromServer), StringComparison.Ordinal);
        Assert.Equal(RecordingForwarder.WebSocketClientNote, exchange.Request.Body!.Note);
        Assert.True(exchange.Request.Body.Size >= 2 * (6 + 3)); // two masked 3-byte text frames at least
    }
}
