using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// A recorded WebSocket session is replayed as a session against a real Kestrel WebSocket endpoint: handshake headers
/// and sub-protocol, the client's messages in turn with the server's replies, the close, and the messages as the result.
/// </summary>
public sealed class WebSocketSessionTests
{
    private static Exchange Session(string path, double atSeconds, params WebSocketMessage[] messages) => Session(path, atSeconds, null, messages);

    private static Exchange Session(string path, double atSeconds, string? user, params WebSocketMessage[] messages)
    {
        var recorded = Recorded.Request("GET", path, atSeconds, session: user);
        return recorded with
        {
            Protocol = Protocol.WebSocket,
            Request = recorded.Request with
            {
                Headers = recorded.Request.Headers.AddRange(
                    new HeaderField("Connection", "Upgrade"),
                    new HeaderField("Upgrade", "websocket"),
                    new HeaderField("Sec-WebSocket-Version", "13"),
                    new HeaderField("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
                    new HeaderField("Sec-WebSocket-Protocol", "chat.v1"),
                    new HeaderField("X-Tenant", "blue")),
            },
            Response = new ExchangeResponse { Status = 101, Headers = [new("Upgrade", "websocket"), new("Connection", "Upgrade"), new("Sec-WebSocket-Protocol", "chat.v1")] },
            Messages = [.. messages],
        };
    }

    private static WebSocketMessage Text(WebSocketPeer from, string text, double atSeconds) =>
        new() { From = from, Kind = WebSocketMessageKind.Text, Offset = TimeSpan.FromSeconds(atSeconds), Payload = ExchangeBody.FromText(text, null) };

    private static WebSocketMessage Close(WebSocketPeer from, double atSeconds) =>
        new() { From = from, Kind = WebSocketMessageKind.Close, Offset = TimeSpan.FromSeconds(atSeconds), CloseCode = 1000, CloseReason = "bye" };

    /// <summary>A chat endpoint: greets, answers each message after a delay (so a client that does not wait for replies overtakes them), logs its turns.</summary>
    private static async Task<(TestKestrel Server, ConcurrentQueue<string> Log)> StartChatAsync()
    {
        var log = new ConcurrentQueue<string>();
        var server = await TestKestrel.StartAsync(app =>
        {
            app.UseWebSockets();
            app.Map("/chat", async context =>
            {
                if (!context.WebSockets.IsWebSocketRequest)
                {
                    context.Response.StatusCode = 400;
                    return;
                }

                log.Enqueue("protocol " + string.Join(",", context.WebSockets.WebSocketRequestedProtocols) + " tenant " + context.Request.Headers["X-Tenant"]);
                using var socket = await context.WebSockets.AcceptWebSocketAsync("chat.v1");
                await socket.SendAsync("""{"hello":"welcome"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                var buffer = new byte[4096];
                var n = 0;
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        log.Enqueue("close " + (int?)received.CloseStatus);
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ok", CancellationToken.None);
                        return;
                    }

                    var text = Encoding.UTF8.GetString(buffer, 0, received.Count);
                    log.Enqueue("recv " + text);
                    await Task.Delay(300);
                    await socket.SendAsync(Encoding.UTF8.GetBytes($$"""{"echo":"{{text}}","n":{{++n}}}"""), WebSocketMessageType.Text, true, CancellationToken.None);
                    log.Enqueue("sent " + text);
                }
            });
        });
        return (server, log);
    }

    [Fact]
    public async Task RecordedSession_IsReplayedInTurns_WithItsHandshake_AndTheMessagesAreTheResult()
    {
        var (server, log) = await StartChatAsync();
        await using var _ = server;
        var recorded = Session(
            "/chat",
            0,
            Text(WebSocketPeer.Server, """{"hello":"welcome"}""", 0.01),
            Text(WebSocketPeer.Client, "a", 0.02),
            Text(WebSocketPeer.Server, """{"echo":"a","n":1}""", 0.03),
            Text(WebSocketPeer.Client, "b", 0.04),
            Text(WebSocketPeer.Server, """{"echo":"b","n":2}""", 0.05),
            Close(WebSocketPeer.Client, 0.06),
            Close(WebSocketPeer.Server, 0.07));
        var sink = new ListSink();

        var summary = await Replayer.RunAsync(new ReplayOptions { Target = server.Address, Pacing = Pacing.PacingMode.Vus, Vus = 1 }, Recorded.Stream([recorded]), sink, TestContext.Current.CancellationToken);

        // The client waited for the reply to "a" (sent 300 ms after it arrived) before it sent "b".
        Assert.Equal(new[] { "protocol chat.v1 tenant blue", "recv a", "sent a", "recv b", "sent b", "close 1000" }, log.ToArray());
        Assert.Equal(0, summary.SkippedWebSocket);
        var result = Assert.Single(sink.Results);
        Assert.Equal(recorded.Id, result.Tags[WellKnownTags.ReplayOf]);
        Assert.Equal(Protocol.WebSocket, result.Protocol);
        Assert.Equal(101, result.Response!.Status);
        Assert.Equal("chat.v1", result.Response.Headers.Get("Sec-WebSocket-Protocol"));
        Assert.Null(result.Error);
        var seen = result.Messages.Select(m => $"{m.From} {m.Kind} {m.Payload?.Text}".TrimEnd()).ToArray();
        Assert.Equal(
            new[] { "Server Text {\"hello\":\"welcome\"}", "Client Text a", "Server Text {\"echo\":\"a\",\"n\":1}", "Client Text b", "Server Text {\"echo\":\"b\",\"n\":2}", "Client Close", "Server Close" },
            seen);
        Assert.Equal(1000, result.Messages[^1].CloseCode);
        Assert.True(result.Messages.Select(m => m.Offset).SequenceEqual(result.Messages.Select(m => m.Offset).Order()), "offsets grow in the order seen");
    }

    [Fact]
    public async Task AnOpenSession_DoesNotHoldBackItsUsersLaterRequests_AndItsLatencyIsTheHandshake()
    {
        var opened = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        var feedAt = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestKestrel.StartAsync(app =>
        {
            app.UseWebSockets();
            app.MapGet("/feed", () =>
            {
                feedAt.TrySetResult(DateTimeOffset.UtcNow);
                return "[]";
            });
            app.Map("/live", async context =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                opened.TrySetResult(DateTimeOffset.UtcNow);
                var buffer = new byte[1024];
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }
                }
            });
        });
        // The recorded user kept the socket open for 2 s and fetched /feed 50 ms after opening it.
        var live = Session("/live", 0, "ann", Text(WebSocketPeer.Client, "hi", 0.01), Close(WebSocketPeer.Client, 2.0));
        var feed = Recorded.Request("GET", "/feed", 0.05, session: "ann");
        var sink = new ListSink();

        var summary = await Replayer.RunAsync(new ReplayOptions { Target = server.Address }, Recorded.Stream([live, feed]), sink, TestContext.Current.CancellationToken);

        Assert.InRange(await feedAt.Task - await opened.Task, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        var session = sink.Results.Single(r => r.Tags[WellKnownTags.ReplayOf] == live.Id);
        Assert.True(session.Duration >= TimeSpan.FromSeconds(1.9), $"the session lasted {session.Duration}");
        Assert.True(summary.Overall().MaxMs < 1000, $"the summary's latency is the handshake's, not the session's: max {summary.Overall().MaxMs} ms");
    }

    [Fact]
    public async Task AClientMessageTheCaptureCut_EndsThePlayThere_AndTheResultSaysSo()
    {
        var (server, log) = await StartChatAsync();
        await using var _ = server;
        var cut = new WebSocketMessage { From = WebSocketPeer.Client, Kind = WebSocketMessageKind.Text, Offset = TimeSpan.FromSeconds(0.04), Payload = new ExchangeBody { Content = default, Size = 2_000_000, Truncated = true } };
        var recorded = Session(
            "/chat",
            0,
            Text(WebSocketPeer.Server, """{"hello":"welcome"}""", 0.01),
            Text(WebSocketPeer.Client, "a", 0.02),
            Text(WebSocketPeer.Server, """{"echo":"a","n":1}""", 0.03),
            cut,
            Text(WebSocketPeer.Client, "b", 0.05),
            new WebSocketMessage { From = WebSocketPeer.Client, Kind = WebSocketMessageKind.Close, CloseCode = 1006, CloseReason = new string('x', 200) });
        var sink = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, Pacing = Pacing.PacingMode.Vus, Vus = 1 }, Recorded.Stream([recorded]), sink, TestContext.Current.CancellationToken);

        Assert.Equal(new[] { "protocol chat.v1 tenant blue", "recv a", "sent a", "close 1000" }, log.ToArray());
        var result = Assert.Single(sink.Results);
        Assert.Null(result.Error);
        Assert.Contains("capture cut", result.Tags[WellKnownTags.WebSocketError], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreserveHost_SendsTheRecordedHost_OnTheHandshake()
    {
        var hosts = new ConcurrentQueue<string>();
        await using var server = await TestKestrel.StartAsync(app =>
        {
            app.UseWebSockets();
            app.Map("/chat", async context =>
            {
                hosts.Enqueue(context.Request.Host.Value ?? string.Empty);
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var received = await socket.ReceiveAsync(new byte[64], CancellationToken.None);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            });
        });
        var recorded = Session("/chat", 0);
        recorded = recorded with { Request = recorded.Request with { Headers = recorded.Request.Headers.Add(new HeaderField("Host", "shop.example")) } };

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, Speed = 50, PreserveHost = true }, Recorded.Stream([recorded]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal(new[] { "shop.example" }, hosts.ToArray());
    }

    [Fact]
    public async Task TargetThatDoesNotUpgrade_IsAResponse_NotAnError_AndOtherRequestsStillGo()
    {
        var (server, _) = await StartChatAsync();
        await using var __ = server;
        var gone = Session("/gone", 0, Text(WebSocketPeer.Client, "a", 0.01));
        var sink = new ListSink();

        var summary = await Replayer.RunAsync(new ReplayOptions { Target = server.Address, Speed = 50 }, Recorded.Stream([gone]), sink, TestContext.Current.CancellationToken);

        var result = Assert.Single(sink.Results);
        Assert.Null(result.Error);
        Assert.Equal(404, result.Response!.Status);
        Assert.Empty(result.Messages);
        Assert.Equal(1, summary.Sent);
    }

    [Fact]
    public async Task ServerThatNeverAnswers_EndsTheSessionWithinTheRequestTimeout_WithWhatWasSeen()
    {
        await using var server = await TestKestrel.StartAsync(app =>
        {
            app.UseWebSockets();
            app.Map("/mute", async context =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                while (socket.State == WebSocketState.Open)
                {
                    var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }
                }
            });
        });
        var recorded = Session(
            "/mute",
            0,
            Text(WebSocketPeer.Client, "q1", 0.01),
            Text(WebSocketPeer.Server, "r1", 0.02),
            Text(WebSocketPeer.Client, "q2", 0.03),
            Text(WebSocketPeer.Server, "r2", 0.04));
        var sink = new ListSink();
        var started = DateTimeOffset.UtcNow;

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, Pacing = Pacing.PacingMode.Vus, Vus = 1, RequestTimeout = TimeSpan.FromMilliseconds(400) }, Recorded.Stream([recorded]), sink, TestContext.Current.CancellationToken);

        // One wait ran out (no r1); q2 was still sent without a second full wait, and the session was closed.
        Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        var result = Assert.Single(sink.Results);
        Assert.Equal(new[] { "Client Text q1", "Client Text q2", "Client Close", "Server Close" }, result.Messages.Select(m => $"{m.From} {m.Kind} {m.Payload?.Text}".TrimEnd()).ToArray());
    }

    [Fact]
    public async Task AnOrderIdTheSessionCreated_FlowsIntoTheClientsMessages()
    {
        var created = 0;
        await using var server = await TestKestrel.StartAsync(app =>
        {
            app.UseWebSockets();
            app.MapPost("/orders", () => Microsoft.AspNetCore.Http.Results.Json(new { orderId = "ord-" + (7000 + Interlocked.Increment(ref created)) }));
            app.Map("/track", async context =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                var asked = Encoding.UTF8.GetString(buffer, 0, received.Count);
                var known = asked.Contains("ord-" + (7000 + Volatile.Read(ref created)), StringComparison.Ordinal);
                await socket.SendAsync(Encoding.UTF8.GetBytes(known ? """{"status":"packed"}""" : """{"error":"unknown order"}"""), WebSocketMessageType.Text, true, CancellationToken.None);
                await socket.ReceiveAsync(buffer, CancellationToken.None);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            });
        });
        var order = Recorded.Request("POST", "/orders", 0, session: "ann", body: """{"sku":"mug"}""", responseBody: """{"orderId":"ord-1234"}""");
        var track = Session(
            "/track",
            0.1,
            "ann",
            Text(WebSocketPeer.Client, """{"watch":"ord-1234"}""", 0.01),
            Text(WebSocketPeer.Server, """{"status":"packed"}""", 0.02),
            Close(WebSocketPeer.Client, 0.03));
        var sink = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, Speed = 20 }, Recorded.Stream([order, track]), sink, TestContext.Current.CancellationToken);

        var result = sink.Results.Single(r => r.Tags[WellKnownTags.ReplayOf] == track.Id);
        Assert.Equal("""{"watch":"ord-7001"}""", result.Messages[0].Payload!.Text);
        Assert.Equal("""{"status":"packed"}""", result.Messages[1].Payload!.Text);
    }
}
