using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;
using Kind = Reprise.Core.Model.WebSocketMessageKind;

namespace Reprise.Capture.Tests.Hosting;

public sealed class WebSocketRecordingTests
{
    [Fact]
    public async Task WebSocket_RelayedLive_MessagesRecordedExactly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await EchoUpstreamAsync(compress: false);
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });
        using var client = new ClientWebSocket();
        client.Options.KeepAliveInterval = TimeSpan.FromMilliseconds(100);
        client.Options.KeepAliveTimeout = TimeSpan.FromSeconds(30); // keep-alives are pings (answered by pongs)
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{recorder.Server.ReverseAddress!.Port}/ws"), ct);

        await SendAndEchoAsync(client, "hello"u8.ToArray(), WebSocketMessageType.Text, fragments: 1, ct);
        await SendAndEchoAsync(client, [1, 2, 3, 0, 255], WebSocketMessageType.Binary, fragments: 1, ct);
        var paused = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(400, ct); // lets keep-alive pings cross
        paused.Stop(); // measured, not assumed: timers on Linux tick coarsely and may fire a few ms early
        await SendAndEchoAsync(client, "fragmented message"u8.ToArray(), WebSocketMessageType.Text, fragments: 3, ct);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", ct);

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var exchange = Assert.Single(exchanges);
        Assert.Equal(Protocol.WebSocket, exchange.Protocol);
        Assert.Equal(101, exchange.Response!.Status);
        Assert.Null(exchange.Request.Body); // stored as messages, not raw frames
        Assert.Null(exchange.Response.Body);
        Assert.DoesNotContain("websocket.error", exchange.Tags.Keys);
        // Each direction is recorded by its own tap, and the server-to-client tap runs after the write: across
        // directions the order may interleave (the client can send its next message before the echo is
        // recorded). Within a direction it is exact.
        var data = exchange.Messages.Where(m => m.Kind is not (Kind.Ping or Kind.Pong)).ToArray();
        Assert.Equal(
            ["client text hello", "client binary 010203 00FF", "client text fragmented message", "client close 1000 done"],
            data.Where(m => m.From == WebSocketPeer.Client).Select(Describe));
        Assert.Equal(
            ["server text hello", "server binary 010203 00FF", "server text fragmented message", "server close 1000 bye"],
            data.Where(m => m.From == WebSocketPeer.Server).Select(Describe));
        Assert.Equal(8, data.Length);
        var pings = exchange.Messages.Where(m => m.Kind == Kind.Ping).ToArray();
        Assert.NotEmpty(pings);
        Assert.All(pings, p => Assert.Equal(WebSocketPeer.Client, p.From));
        Assert.Contains(exchange.Messages, m => m.Kind == Kind.Pong && m.From == WebSocketPeer.Server && m.Payload?.Content.ToArray() is { } pong && pong.SequenceEqual(pings[0].Payload!.Content.ToArray()));
        Assert.True(exchange.Messages.Select(m => m.Offset).SequenceEqual(exchange.Messages.Select(m => m.Offset).Order()));
        Assert.InRange(exchange.Messages[^1].Offset, paused.Elapsed, exchange.Duration);
    }

    [Fact]
    public async Task WebSocket_PerMessageDeflate_MessagesRecordedInflated()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await EchoUpstreamAsync(compress: true);
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });
        using var client = new ClientWebSocket();
        client.Options.KeepAliveInterval = TimeSpan.Zero;
        client.Options.DangerousDeflateOptions = new WebSocketDeflateOptions { ClientContextTakeover = true, ServerContextTakeover = false };
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{recorder.Server.ReverseAddress!.Port}/ws"), ct);

        var big = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"item\":\"compressible\"},", 2000)));
        await SendAndEchoAsync(client, "same text twice"u8.ToArray(), WebSocketMessageType.Text, fragments: 1, ct);
        await SendAndEchoAsync(client, "same text twice"u8.ToArray(), WebSocketMessageType.Text, fragments: 1, ct); // context takeover: back-references into message 1
        await SendAndEchoAsync(client, big, WebSocketMessageType.Text, fragments: 2, ct);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", ct);

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var exchange = Assert.Single(exchanges);
        Assert.Contains("permessage-deflate", exchange.Response!.Headers.Get("sec-websocket-extensions"), StringComparison.Ordinal);
        Assert.DoesNotContain("websocket.error", exchange.Tags.Keys);
        Assert.Equal(8, exchange.Messages.Length);
        foreach (var from in new[] { WebSocketPeer.Client, WebSocketPeer.Server })
        {
            // Per direction: across directions the taps may interleave (see the test above).
            var messages = exchange.Messages.Where(m => m.From == from).ToArray();
            Assert.Equal(4, messages.Length);
            for (var i = 0; i < 3; i++)
            {
                Assert.True(messages[i].Compressed);
                Assert.Equal(i < 2 ? "same text twice"u8.ToArray() : big, messages[i].Payload!.Content.ToArray());
            }

            Assert.Equal(Kind.Close, messages[3].Kind);
        }

        Assert.Equal("client close 1000 done", Describe(exchange.Messages.Last(m => m.From == WebSocketPeer.Client)));
    }

    [Fact]
    public async Task WebSocket_BeyondMaxBody_PayloadsCutAndFlagged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await EchoUpstreamAsync(compress: false);
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address, Capture = o.Capture with { MaxBody = 8 } });
        using var client = new ClientWebSocket();
        client.Options.KeepAliveInterval = TimeSpan.Zero;
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{recorder.Server.ReverseAddress!.Port}/ws"), ct);

        await SendAndEchoAsync(client, "0123456789"u8.ToArray(), WebSocketMessageType.Text, fragments: 1, ct); // the client gets all of it back
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var messages = Assert.Single(exchanges).Messages;
        var sent = messages.First(m => m.From == WebSocketPeer.Client); // per direction: the taps may interleave
        var echoed = messages.First(m => m.From == WebSocketPeer.Server);
        Assert.Equal(("01234567", 10L, true), (sent.Payload!.Text, sent.Payload!.Size, sent.Payload!.Truncated));
        Assert.Equal((0, 10L, true), (echoed.Payload!.Content.Length, echoed.Payload!.Size, echoed.Payload!.Truncated));
    }

    [Fact]
    public async Task WebSocket_SecretInMessages_NeverReachesDisk()
    {
        var ct = TestContext.Current.CancellationToken;
        const string Password = "canary-Pw-7f3a9c2e41";
        const string Card = "4111 1111 1111 1111";
        const string Token = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
        await using var upstream = await EchoUpstreamAsync(compress: true);
        var policy = Reprise.Redaction.Policy.RedactionPolicy.CreateDefault(Reprise.Redaction.Policy.RedactionKey.FromText("websocket-canary-key-0123456789"));
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address }, policy);
        using var client = new ClientWebSocket();
        client.Options.KeepAliveInterval = TimeSpan.Zero;
        client.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{recorder.Server.ReverseAddress!.Port}/ws"), ct);

        var json = Encoding.UTF8.GetBytes($"{{\"op\":\"login\",\"user\":\"ann\",\"password\":\"{Password}\",\"card\":\"{Card}\"}}");
        await SendAndEchoAsync(client, json, WebSocketMessageType.Text, fragments: 2, ct); // echoed: the secret crosses both ways
        await SendAndEchoAsync(client, Encoding.UTF8.GetBytes("api key " + Token), WebSocketMessageType.Text, fragments: 1, ct);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", ct);

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var onDisk = await File.ReadAllTextAsync(recorder.Path, ct);
        Assert.DoesNotContain(Password, onDisk, StringComparison.Ordinal);
        Assert.DoesNotContain(Card, onDisk, StringComparison.Ordinal);
        Assert.DoesNotContain(Card.Replace(" ", "", StringComparison.Ordinal), onDisk, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, onDisk, StringComparison.Ordinal);
        var exchange = Assert.Single(exchanges);
        var login = System.Text.Json.Nodes.JsonNode.Parse(exchange.Messages[0].Payload!.Text)!;
        Assert.Equal("ann", (string?)login["user"]); // redacted as JSON: structure and harmless fields kept
        Assert.Contains(exchange.Redactions, r => r.Location.StartsWith("messages[0].payload", StringComparison.Ordinal));
        Assert.Contains(exchange.Redactions, r => r.Location.StartsWith("messages[1].payload", StringComparison.Ordinal));
    }

    private static string Describe(WebSocketMessage m)
    {
        var from = m.From == WebSocketPeer.Client ? "client" : "server";
        return m.Kind switch
        {
            Kind.Close => $"{from} close {m.CloseCode} {m.CloseReason}",
            Kind.Binary => $"{from} binary {Convert.ToHexString(m.Payload!.Content.Span[..3])} {Convert.ToHexString(m.Payload!.Content.Span[3..])}",
            _ => $"{from} {m.Kind.ToString().ToLowerInvariant()} {m.Payload?.Text}",
        };
    }

    private static async Task SendAndEchoAsync(ClientWebSocket client, byte[] message, WebSocketMessageType type, int fragments, CancellationToken ct)
    {
        var size = (message.Length + fragments - 1) / fragments;
        for (var offset = 0; offset < message.Length; offset += size)
        {
            var end = Math.Min(message.Length, offset + size);
            await client.SendAsync(message.AsMemory(offset, end - offset), type, end == message.Length, ct);
        }

        var received = new MemoryStream();
        var buffer = new byte[8192];
        ValueWebSocketReceiveResult result;
        do
        {
            result = await client.ReceiveAsync(buffer.AsMemory(), ct);
            received.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        Assert.Equal(type, result.MessageType);
        Assert.Equal(message, received.ToArray()); // relayed unchanged, in full
    }

    /// <summary>Echoes each whole message with its type; answers a close with 1000 "bye".</summary>
    private static Task<TestKestrel> EchoUpstreamAsync(bool compress) => TestKestrel.StartAsync(app =>
    {
        app.UseWebSockets();
        app.Map("/ws", async (HttpContext c) =>
        {
            using var socket = await c.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = compress, DisableServerContextTakeover = compress, KeepAliveInterval = TimeSpan.Zero });
            var buffer = new byte[8192];
            while (true)
            {
                var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, c.RequestAborted);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", c.RequestAborted);
                    return;
                }

                await socket.SendAsync(message.ToArray(), result.MessageType, true, c.RequestAborted);
            }
        });
    });
}
