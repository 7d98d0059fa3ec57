using System.Text;
using Reprise.Core.Analysis;
using Reprise.Core.Har;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Har;

public sealed class HarWebSocketTests
{
    // Shaped like Chrome DevTools' "Save all as HAR" for a WebSocket: no _reprise, binary data base64, time in epoch seconds.
    private const string ChromeHar = """
        {"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":[{
          "startedDateTime":"2026-11-20T09:30:00.000Z","time":12.5,"_resourceType":"websocket",
          "request":{"method":"GET","url":"wss://chat.example.test/socket","httpVersion":"HTTP/1.1",
            "headers":[{"name":"Upgrade","value":"websocket"},{"name":"Sec-WebSocket-Key","value":"dGhlIHNhbXBsZSBub25jZQ=="}],
            "queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},
          "response":{"status":101,"statusText":"Switching Protocols","httpVersion":"HTTP/1.1",
            "headers":[{"name":"Upgrade","value":"websocket"}],"cookies":[],"content":{"size":0,"mimeType":"x-unknown"},
            "redirectURL":"","headersSize":-1,"bodySize":0},
          "cache":{},"timings":{"send":0,"wait":12.5,"receive":0},
          "_webSocketMessages":[
            {"type":"send","time":1795167000.25,"opcode":1,"data":"{\"op\":\"subscribe\"}"},
            {"type":"receive","time":1795167000.5,"opcode":2,"data":"AAEC/w=="},
            {"type":"receive","time":1795167001.0,"opcode":1,"data":"hello"}
          ]}]}}
        """;

    [Fact]
    public async Task Import_ChromeWebSocketMessages_BecomeMessages()
    {
        using var dir = new TempDir();
        var path = dir.File("chrome.har");
        await File.WriteAllTextAsync(path, ChromeHar, TestContext.Current.CancellationToken);

        var exchange = Assert.Single(await new HarReader(path).ReadAsync().ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal(Protocol.WebSocket, exchange.Protocol);
        Assert.Equal(3, exchange.Messages.Length);
        var send = exchange.Messages[0];
        Assert.Equal((WebSocketPeer.Client, WebSocketMessageKind.Text), (send.From, send.Kind));
        Assert.Equal("{\"op\":\"subscribe\"}", send.Payload!.Text);
        Assert.Equal(TimeSpan.FromMilliseconds(250), send.Offset);
        var binary = exchange.Messages[1];
        Assert.Equal((WebSocketPeer.Server, WebSocketMessageKind.Binary), (binary.From, binary.Kind));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, binary.Payload!.Content.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(1), exchange.Messages[2].Offset);
    }

    /// <summary>
    /// QA5 finding: Playwright's recordHar writes <c>_webSocketMessages[].time</c> in epoch milliseconds (Chrome DevTools in
    /// seconds); import took them for seconds, every offset became TimeSpan.MaxValue, and replaying the session failed with
    /// an ArgumentOutOfRangeException from a delay. A time too large for epoch seconds is read as milliseconds.
    /// </summary>
    [Fact]
    public async Task Import_PlaywrightWebSocketMessages_TimesInMilliseconds_GiveTheRealOffsets()
    {
        using var dir = new TempDir();
        var path = dir.File("playwright.har");
        var har = ChromeHar.Replace("1795167000.25", "1795167000250.2532", StringComparison.Ordinal)
            .Replace("1795167000.5", "1795167000500.0", StringComparison.Ordinal)
            .Replace("1795167001.0", "1795167001000.0", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, har, TestContext.Current.CancellationToken);

        var exchange = Assert.Single(await new HarReader(path).ReadAsync().ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal(250.2532, exchange.Messages[0].Offset.TotalMilliseconds, 3);
        Assert.Equal(TimeSpan.FromMilliseconds(500), exchange.Messages[1].Offset);
        Assert.Equal(TimeSpan.FromSeconds(1), exchange.Messages[2].Offset);
    }

    [Fact]
    public async Task Export_Messages_WritesChromeShapedWebSocketMessages()
    {
        var started = new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);
        var exchange = Exchanges.Get("http://chat.test/socket") with
        {
            StartedAt = started,
            Protocol = Protocol.WebSocket,
            Messages =
            [
                new WebSocketMessage { From = WebSocketPeer.Client, Kind = WebSocketMessageKind.Text, Offset = TimeSpan.FromMilliseconds(250), Payload = ExchangeBody.FromText("hi", null) },
                new WebSocketMessage { From = WebSocketPeer.Server, Kind = WebSocketMessageKind.Binary, Offset = TimeSpan.FromMilliseconds(500), Payload = ExchangeBody.FromBytes(new byte[] { 0, 255 }, null) },
                new WebSocketMessage { From = WebSocketPeer.Client, Kind = WebSocketMessageKind.Close, Offset = TimeSpan.FromSeconds(1), CloseCode = 1000, CloseReason = "bye" },
            ],
        };
        using var stream = new MemoryStream();
        await new HarWriter(stream).ConsumeAsync(new[] { exchange }.ToAsyncEnumerable(), TestContext.Current.CancellationToken);

        using var har = System.Text.Json.JsonDocument.Parse(stream.ToArray());
        var messages = har.RootElement.GetProperty("log").GetProperty("entries")[0].GetProperty("_webSocketMessages");
        Assert.Equal(3, messages.GetArrayLength());
        Assert.Equal("send", messages[0].GetProperty("type").GetString());
        Assert.Equal(1, messages[0].GetProperty("opcode").GetInt32());
        Assert.Equal("hi", messages[0].GetProperty("data").GetString());
        Assert.Equal(started.ToUnixTimeMilliseconds() / 1000.0 + 0.25, messages[0].GetProperty("time").GetDouble(), 3);
        Assert.Equal("receive", messages[1].GetProperty("type").GetString());
        Assert.Equal("AP8=", messages[1].GetProperty("data").GetString());
        Assert.Equal(8, messages[2].GetProperty("opcode").GetInt32());
        Assert.Equal("bye", messages[2].GetProperty("data").GetString());
        Assert.Equal(1000, messages[2].GetProperty("_code").GetInt32());
    }

    [Fact]
    public async Task Inspect_WebSocketSession_CountsMessages()
    {
        var exchange = Exchanges.Get("http://chat.test/socket") with
        {
            Protocol = Protocol.WebSocket,
            Messages =
            [
                new WebSocketMessage { From = WebSocketPeer.Client, Kind = WebSocketMessageKind.Text, Payload = ExchangeBody.FromBytes(Encoding.UTF8.GetBytes("a"), null) },
                new WebSocketMessage { From = WebSocketPeer.Server, Kind = WebSocketMessageKind.Text, Payload = ExchangeBody.FromBytes(Encoding.UTF8.GetBytes("b"), null) },
                new WebSocketMessage { From = WebSocketPeer.Server, Kind = WebSocketMessageKind.Close, CloseCode = 1000 },
            ],
        };

        var report = await new InspectSink().ConsumeAsync(new[] { exchange, Exchanges.Get("http://chat.test/x") }.ToAsyncEnumerable(), TestContext.Current.CancellationToken);

        Assert.Equal(3, report.WebSocketMessages);
        Assert.Equal(1, report.WebSocketMessagesFromClient);
    }
}
