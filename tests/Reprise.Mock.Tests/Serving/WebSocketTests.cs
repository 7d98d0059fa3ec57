using System.Net.WebSockets;
using System.Text;
using Reprise.Core.Model;
using Reprise.Mock.Serving;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>WebSocket sessions stored the capture way (101, raw RFC 6455 frames as bodies) replayed to a real client.</summary>
public sealed class WebSocketTests
{
    [Fact]
    public async Task Session_RecordedServerMessages_ReplayedThenClosed()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = Concat(Frame(0x1, "hello"), Frame(0x1, "world"), Frame(0x8, new byte[] { 0x03, 0xE8 }));
        var truncated = Concat(server, [0x81, 0x7E, 0x01]); // a capped recording cut inside the next frame header
        var upgrade = Upgrade("ws1", [new("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), new("Sec-WebSocket-Version", "13")], [new("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")]);
        var session = upgrade with
        {
            Request = upgrade.Request with { Body = new ExchangeBody { Content = Frame(0x1, "hi", masked: true), Size = 8, Note = "websocket frames (RFC 6455, masked) client to server" } },
            Response = upgrade.Response! with { Body = new ExchangeBody { Content = truncated, Size = truncated.Length, Note = "websocket frames (RFC 6455) server to client" } },
        };
        using var dir = new TempDir();
        var (mock, _) = await MockFixtures.StartAsync(dir, [session]);
        await using (mock)
        {
            using var client = new ClientWebSocket();
            await client.ConnectAsync(new Uri($"ws://{mock.Address.Authority}/ws"), ct);
            await client.SendAsync("hi"u8.ToArray(), WebSocketMessageType.Text, true, ct);
            var buffer = new byte[1024];
            var first = await client.ReceiveAsync(buffer, ct);
            Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, first.Count));
            var second = await client.ReceiveAsync(buffer, ct);
            Assert.Equal("world", Encoding.UTF8.GetString(buffer, 0, second.Count));
            var close = await client.ReceiveAsync(buffer, ct);
            Assert.Equal(WebSocketMessageType.Close, close.MessageType);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
            Assert.Equal(0, mock.Journal.MissCount);
        }
    }

    [Fact]
    public async Task Session_RecordedAsMessages_ServerMessagesReplayed()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = Upgrade("ws2", [new("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), new("Sec-WebSocket-Version", "13")], []) with
        {
            Messages =
            [
                new WebSocketMessage { From = WebSocketPeer.Client, Kind = WebSocketMessageKind.Text, Payload = ExchangeBody.FromText("hi", null) },
                new WebSocketMessage { From = WebSocketPeer.Server, Kind = WebSocketMessageKind.Text, Payload = ExchangeBody.FromText("hello", null) },
                new WebSocketMessage { From = WebSocketPeer.Server, Kind = WebSocketMessageKind.Pong },
                new WebSocketMessage { From = WebSocketPeer.Server, Kind = WebSocketMessageKind.Binary, Payload = ExchangeBody.FromBytes(new byte[300], null) },
                new WebSocketMessage { From = WebSocketPeer.Server, Kind = WebSocketMessageKind.Close, CloseCode = 1000, CloseReason = "bye" },
            ],
        };
        using var dir = new TempDir();
        var (mock, _) = await MockFixtures.StartAsync(dir, [session]);
        await using (mock)
        {
            using var client = new ClientWebSocket();
            await client.ConnectAsync(new Uri($"ws://{mock.Address.Authority}/ws"), ct);
            var buffer = new byte[1024];

            // In turns: the recorded server answered "hi", so nothing comes before the client says it.
            var early = client.ReceiveAsync(buffer, ct);
            await Task.Delay(300, ct);
            Assert.False(early.IsCompleted);
            await client.SendAsync("hi"u8.ToArray(), WebSocketMessageType.Text, true, ct);
            var first = await early;
            Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, first.Count));
            var second = await client.ReceiveAsync(buffer, ct);
            Assert.Equal((WebSocketMessageType.Binary, 300), (second.MessageType, second.Count));
            var close = await client.ReceiveAsync(buffer, ct);
            Assert.Equal(WebSocketMessageType.Close, close.MessageType);
            Assert.Equal("bye", client.CloseStatusDescription);
        }
    }

    [Fact]
    public async Task RecordedSubprotocolAndExtension_NotAnsweredToAClientThatDidNotOfferThem()
    {
        var ct = TestContext.Current.CancellationToken;
        var session = Upgrade(
            "ws3",
            [new("Sec-WebSocket-Version", "13"), new("Sec-WebSocket-Protocol", "chat.v2"), new("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")],
            [new("Sec-WebSocket-Protocol", "chat.v2"), new("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits=10")]) with
        {
            Messages = [new WebSocketMessage { From = WebSocketPeer.Server, Kind = WebSocketMessageKind.Text, Payload = ExchangeBody.FromText("hello", null) }],
        };
        using var dir = new TempDir();
        var (mock, _) = await MockFixtures.StartAsync(dir, [session]);
        await using (mock)
        {
            using var plain = new ClientWebSocket(); // offers neither
            await plain.ConnectAsync(new Uri($"ws://{mock.Address.Authority}/ws"), ct);
            var buffer = new byte[1024];
            Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, (await plain.ReceiveAsync(buffer, ct)).Count));
            Assert.Null(plain.SubProtocol);

            using var chat = new ClientWebSocket(); // offers the recorded subprotocol: it is answered
            chat.Options.AddSubProtocol("chat.v2");
            await chat.ConnectAsync(new Uri($"ws://{mock.Address.Authority}/ws"), ct);
            Assert.Equal("chat.v2", chat.SubProtocol);
        }

        Assert.True(WebSocketReplay.Offered("permessage-deflate; client_max_window_bits, x-webkit-deflate-frame", "permessage-deflate", StringComparison.OrdinalIgnoreCase));
        Assert.False(WebSocketReplay.Offered("", "chat.v2", StringComparison.Ordinal));
    }

    [Fact]
    public void CompleteFramesLength_StopsAtCutFrame()
    {
        var whole = Concat(Frame(0x1, new string('x', 300)), Frame(0x2, new byte[70_000]));
        Assert.Equal(whole.Length, WebSocketReplay.CompleteFramesLength(whole));
        for (var cut = 1; cut < 20; cut++)
        {
            Assert.Equal(304, WebSocketReplay.CompleteFramesLength(whole.AsSpan(0, whole.Length - cut)));
        }

        Assert.Equal(0, WebSocketReplay.CompleteFramesLength(whole.AsSpan(0, 100)));
    }

    [Fact]
    public async Task Session_PlayedInTurns_GreetingFirst_EachReplyAfterItsQuestion_ThenTheClientsClose()
    {
        var ct = TestContext.Current.CancellationToken;
        static WebSocketMessage Say(WebSocketPeer from, string text) => new() { From = from, Kind = WebSocketMessageKind.Text, Payload = ExchangeBody.FromText(text, null) };
        var session = Upgrade("ws4", [new("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), new("Sec-WebSocket-Version", "13"), new("Sec-WebSocket-Protocol", "graphql-transport-ws")], [new("Sec-WebSocket-Protocol", "graphql-transport-ws")]) with
        {
            Messages =
            [
                Say(WebSocketPeer.Client, """{"type":"connection_init"}"""),
                Say(WebSocketPeer.Server, """{"type":"connection_ack"}"""),
                Say(WebSocketPeer.Client, """{"id":"1","type":"subscribe","payload":{"query":"subscription { ticks }"}}"""),
                Say(WebSocketPeer.Server, """{"id":"1","type":"next","payload":{"data":{"ticks":1}}}"""),
                Say(WebSocketPeer.Server, """{"id":"1","type":"complete"}"""),
                new WebSocketMessage { From = WebSocketPeer.Client, Kind = WebSocketMessageKind.Close, CloseCode = 1000 },
                new WebSocketMessage { From = WebSocketPeer.Server, Kind = WebSocketMessageKind.Close, CloseCode = 1000 },
            ],
        };
        using var dir = new TempDir();
        var (mock, _) = await MockFixtures.StartAsync(dir, [session]);
        await using (mock)
        {
            using var client = new ClientWebSocket();
            client.Options.AddSubProtocol("graphql-transport-ws");
            await client.ConnectAsync(new Uri($"ws://{mock.Address.Authority}/ws"), ct);
            Assert.Equal("graphql-transport-ws", client.SubProtocol);
            var buffer = new byte[1024];
            async Task<string> NextAsync() => Encoding.UTF8.GetString(buffer, 0, (await client.ReceiveAsync(buffer, ct)).Count);

            await client.SendAsync("""{"type":"connection_init"}"""u8.ToArray(), WebSocketMessageType.Text, true, ct);
            Assert.Equal("""{"type":"connection_ack"}""", await NextAsync());
            var early = client.ReceiveAsync(buffer, ct);
            await Task.Delay(300, ct);
            Assert.False(early.IsCompleted, "the subscription's data came before the client subscribed");
            await client.SendAsync("""{"id":"1","type":"subscribe","payload":{"query":"subscription { ticks }"}}"""u8.ToArray(), WebSocketMessageType.Text, true, ct);
            Assert.Equal("""{"id":"1","type":"next","payload":{"data":{"ticks":1}}}""", Encoding.UTF8.GetString(buffer, 0, (await early).Count));
            Assert.Equal("""{"id":"1","type":"complete"}""", await NextAsync());

            // The recording's client closed first: the mock waits for it, then answers.
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct).WaitAsync(TimeSpan.FromSeconds(10), ct);
            Assert.Equal(WebSocketState.Closed, client.State);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        }
    }

    /// <summary>
    /// QA round 14b (Cockpit's web console from the mock): a multiplexed protocol opens channels as earlier channels
    /// answer, so the count of client messages the recording had before a server message includes messages this client
    /// sends only after that very message. The mock waited for them until --timeout-cap (30 s): the overview showed no
    /// hostname and no machine id. A client that has gone quiet is waiting for the server: after a quiet second the next
    /// server message goes out.
    /// </summary>
    [Fact]
    public async Task Session_AClientThatWentQuiet_GetsTheNextServerMessage_WithoutWaitingForTheTimeoutCap()
    {
        var ct = TestContext.Current.CancellationToken;
        static WebSocketMessage Say(WebSocketPeer from, string text) => new() { From = from, Kind = WebSocketMessageKind.Text, Payload = ExchangeBody.FromText(text, null) };
        var session = Upgrade("ws5", [new("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), new("Sec-WebSocket-Version", "13")], []) with
        {
            Messages =
            [
                Say(WebSocketPeer.Client, """{"command":"open","channel":"a"}"""),
                Say(WebSocketPeer.Client, """{"command":"open","channel":"b"}"""),
                Say(WebSocketPeer.Server, """{"command":"ready","channel":"a"}"""),
                Say(WebSocketPeer.Client, """{"command":"open","channel":"c"}"""), // sent live only once b is ready
                Say(WebSocketPeer.Server, """{"command":"ready","channel":"b"}"""),
                Say(WebSocketPeer.Server, """{"command":"ready","channel":"c"}"""),
            ],
        };
        using var dir = new TempDir();
        var (mock, _) = await MockFixtures.StartAsync(dir, [session]);
        await using (mock)
        {
            using var client = new ClientWebSocket();
            await client.ConnectAsync(new Uri($"ws://{mock.Address.Authority}/ws"), ct);
            var buffer = new byte[1024];
            async Task<string> NextAsync() => Encoding.UTF8.GetString(buffer, 0, (await client.ReceiveAsync(buffer, ct).WaitAsync(TimeSpan.FromSeconds(5), ct)).Count);

            await client.SendAsync("""{"command":"open","channel":"a"}"""u8.ToArray(), WebSocketMessageType.Text, true, ct);
            await client.SendAsync("""{"command":"open","channel":"b"}"""u8.ToArray(), WebSocketMessageType.Text, true, ct);
            Assert.Equal("""{"command":"ready","channel":"a"}""", await NextAsync());
            Assert.Equal("""{"command":"ready","channel":"b"}""", await NextAsync());
            await client.SendAsync("""{"command":"open","channel":"c"}"""u8.ToArray(), WebSocketMessageType.Text, true, ct);
            Assert.Equal("""{"command":"ready","channel":"c"}""", await NextAsync());
        }
    }

    /// <summary>
    /// The rest of a turn released to a quiet client goes out with it: one quiet second per turn, not per message (the
    /// overview's 70 answers waiting for messages the page never sends would take 70 s).
    /// </summary>
    [Fact]
    public async Task Session_TheRestOfATurnReleasedToAQuietClient_GoesOutWithIt()
    {
        var ct = TestContext.Current.CancellationToken;
        static WebSocketMessage Say(WebSocketPeer from, string text) => new() { From = from, Kind = WebSocketMessageKind.Text, Payload = ExchangeBody.FromText(text, null) };
        var session = Upgrade("ws6", [new("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), new("Sec-WebSocket-Version", "13")], []) with
        {
            Messages =
            [
                Say(WebSocketPeer.Client, "open a"),
                Say(WebSocketPeer.Server, "ready a"),
                Say(WebSocketPeer.Client, "open x"), // the live page never sends it
                Say(WebSocketPeer.Server, "data 1"),
                Say(WebSocketPeer.Server, "data 2"),
                Say(WebSocketPeer.Server, "data 3"),
                Say(WebSocketPeer.Server, "data 4"),
            ],
        };
        using var dir = new TempDir();
        var (mock, _) = await MockFixtures.StartAsync(dir, [session]);
        await using (mock)
        {
            using var client = new ClientWebSocket();
            await client.ConnectAsync(new Uri($"ws://{mock.Address.Authority}/ws"), ct);
            var buffer = new byte[1024];
            async Task<string> NextAsync() => Encoding.UTF8.GetString(buffer, 0, (await client.ReceiveAsync(buffer, ct).WaitAsync(TimeSpan.FromSeconds(5), ct)).Count);

            await client.SendAsync("open a"u8.ToArray(), WebSocketMessageType.Text, true, ct);
            Assert.Equal("ready a", await NextAsync());
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal("data 1", await NextAsync());
            Assert.Equal("data 2", await NextAsync());
            Assert.Equal("data 3", await NextAsync());
            Assert.Equal("data 4", await NextAsync());
            // One quiet second for the turn; a quiet second per message would take 4 s. The bound leaves a loaded CI machine
            // 2.5 s of slack and still tells the two apart.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3.5), $"the turn took {watch.Elapsed}");
        }
    }

    [Fact]
    public void Accept_Rfc6455Example() => Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketReplay.Accept("dGhlIHNhbXBsZSBub25jZQ=="));

    /// <summary>A recorded outbound upgrade to ws://chat.test/ws: the 101 exchange, before bodies or messages.</summary>
    private static Exchange Upgrade(string id, HeaderField[] requestHeaders, HeaderField[] responseHeaders) => new()
    {
        Id = id,
        Direction = Direction.Outbound,
        Protocol = Protocol.WebSocket,
        StartedAt = DateTimeOffset.UnixEpoch,
        Request = new ExchangeRequest { Method = "GET", Url = "http://chat.test/ws", Headers = [new("Upgrade", "websocket"), new("Connection", "Upgrade"), .. requestHeaders] },
        Response = new ExchangeResponse { Status = 101, Headers = [new("Upgrade", "websocket"), new("Connection", "Upgrade"), .. responseHeaders] },
    };

    private static byte[] Frame(byte opcode, string text, bool masked = false) => Frame(opcode, Encoding.UTF8.GetBytes(text), masked);

    private static byte[] Frame(byte opcode, byte[] payload, bool masked = false)
    {
        var header = new List<byte> { (byte)(0x80 | opcode) };
        var maskBit = masked ? (byte)0x80 : (byte)0;
        if (payload.Length < 126)
        {
            header.Add((byte)(maskBit | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add((byte)(maskBit | 126));
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            for (var i = 7; i >= 0; i--)
            {
                header.Add((byte)((long)payload.Length >> (8 * i)));
            }
        }

        if (!masked)
        {
            return [.. header, .. payload];
        }

        byte[] key = [1, 2, 3, 4];
        var body = payload.Select((b, i) => (byte)(b ^ key[i % 4])).ToArray();
        return [.. header, .. key, .. body];
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
