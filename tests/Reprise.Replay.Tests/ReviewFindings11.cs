using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Correlation;
using Reprise.Replay.Tests.Support;
using Reprise.Testing;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests;

/// <summary>
/// Review of 17d8956 (value rules). A value rule's secret never reached a WebSocket session's messages (a JSON-RPC
/// <c>token:</c> sent over aria2's WebSocket), a <c>--multiplier</c> copy varied the secret itself when it looked like a
/// unique value (a UUID API key), and a number the recorded JSON body carried (a PIN) was sent back as a string.
/// </summary>
public sealed class ReviewFindings11
{
    private static Exchange Post(double at, string path, string body, string contentType) =>
        Recorded.Request("POST", path, at, session: "s") is var e
            ? e with { Request = e.Request with { Body = ExchangeBody.FromText(body, contentType) } }
            : null!;

    private static WebSocketMessage Text(WebSocketPeer from, string text, double atSeconds) =>
        new() { From = from, Kind = WebSocketMessageKind.Text, Offset = TimeSpan.FromSeconds(atSeconds), Payload = ExchangeBody.FromText(text, null) };

    private static WebSocketMessage Close(WebSocketPeer from, double atSeconds) =>
        new() { From = from, Kind = WebSocketMessageKind.Close, Offset = TimeSpan.FromSeconds(atSeconds), CloseCode = 1000, CloseReason = "bye" };

    [Fact]
    public async Task AValueRule_ReachesTheMessagesOfAWebSocketSession()
    {
        var received = new ConcurrentQueue<string>();
        await using var server = await TestKestrel.StartAsync(app =>
        {
            app.UseWebSockets();
            app.Map("/jsonrpc", async context =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[4096];
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ok", CancellationToken.None);
                        return;
                    }

                    received.Enqueue(Encoding.UTF8.GetString(buffer, 0, result.Count));
                    await socket.SendAsync("""{"jsonrpc":"2.0","id":"1","result":[]}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                }
            });
        });
        var rules = CorrelationRulesFile.Parse("""
            rules:
              - name: rpc-secret
                value: rpc-S3cret
                substitute: { json: "$.params[0]", prefix: "token:" }
            """, "rules.yaml");
        var handshake = Recorded.Request("GET", "/jsonrpc", 0);
        var recorded = handshake with
        {
            Protocol = Protocol.WebSocket,
            Request = handshake.Request with
            {
                Headers = handshake.Request.Headers.AddRange(
                    new HeaderField("Connection", "Upgrade"),
                    new HeaderField("Upgrade", "websocket"),
                    new HeaderField("Sec-WebSocket-Version", "13"),
                    new HeaderField("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")),
            },
            Response = new ExchangeResponse { Status = 101, Headers = [new("Upgrade", "websocket"), new("Connection", "Upgrade")] },
            Messages =
            [
                Text(WebSocketPeer.Client, """{"jsonrpc":"2.0","id":"1","method":"aria2.tellActive","params":["token:**********"]}""", 0.01),
                Text(WebSocketPeer.Server, """{"jsonrpc":"2.0","id":"1","result":[]}""", 0.02),
                Close(WebSocketPeer.Client, 0.03),
                Close(WebSocketPeer.Server, 0.04),
            ],
        };

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, Speed = 50, CorrelationRules = rules }, Recorded.Stream([recorded]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal(["""{"jsonrpc":"2.0","id":"1","method":"aria2.tellActive","params":["token:rpc-S3cret"]}"""], received.ToArray());
    }

    [Fact]
    public async Task AValueRulesSecret_IsNotVaried_ForMultiplierCopies()
    {
        await using var target = await CountingTarget.StartAsync();
        const string key = "6f1c2e4a-9b3d-4e5f-8a7b-1c2d3e4f5a6b";
        var rules = CorrelationRulesFile.Parse($"rules:\n  - name: api-key\n    value: {key}\n    substitute: {{ query: api_key }}\n  - name: rpc\n    value: {key}\n    substitute: {{ json: \"$.params[0]\", prefix: \"token:\" }}\n", "rules.yaml");
        var exchanges = new[]
        {
            Recorded.Request("GET", "/api/items?api_key=************************************&request_id=0b9f6c1e-1111-4222-8333-444455556666", 0, session: "s"),
            Post(0.1, "/jsonrpc", """{"jsonrpc":"2.0","id":"0b9f6c1e-1111-4222-8333-444455556667","method":"aria2.tellActive","params":["token:************************************"]}""", "application/json"),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, Multiplier = 2, CorrelationRules = rules }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal(4, sent.Count);
        Assert.All(sent.Where(a => a.Method == "GET"), a => Assert.StartsWith($"/api/items?api_key={key}&request_id=", a.PathAndQuery, StringComparison.Ordinal));
        Assert.All(sent.Where(a => a.Method == "POST"), a => Assert.Contains($"\"params\":[\"token:{key}\"]", a.Body, StringComparison.Ordinal));
        // The copy's own unique values still vary.
        Assert.Equal(2, sent.Where(a => a.Method == "GET").Select(a => a.PathAndQuery).Distinct().Count());
    }

    [Fact]
    public async Task AValueRule_KeepsAJsonNumber_ANumber()
    {
        await using var target = await CountingTarget.StartAsync(app => app.MapPost("/unlock", () => HttpResults.Ok()));
        var rules = CorrelationRulesFile.Parse("rules:\n  - name: pin\n    value: '4821'\n    substitute: { json: $.pin }\n", "rules.yaml");

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, CorrelationRules = rules }, Recorded.Stream([Post(0, "/unlock", """{"card":"x","pin":1111}""", "application/json")]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal("""{"card":"x","pin":4821}""", Assert.Single(target.Arrivals).Body);
    }
    [Fact]
    public async Task AJsonBodyWithADuplicateMember_IsStillSent()
    {
        await using var target = await CountingTarget.StartAsync();
        var rules = CorrelationRulesFile.Parse("rules:\n  - name: pw\n    value: pw\n    substitute: { json: $.password }\n", "rules.yaml");
        var sink = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, CorrelationRules = rules }, Recorded.Stream([Post(0, "/login", """{"user":"a","user":"b","password":"****"}""", "application/json")]), sink, TestContext.Current.CancellationToken);

        Assert.Single(target.Arrivals);
    }
    // A login a SPA posts with fetch(url, {body: new FormData(form)}) is multipart/form-data: substitute.form left its
    // masked password as recorded (the rule never applied, the report showed nothing).
    [Fact]
    public async Task SubstituteForm_ReplacesAFieldOfAMultipartForm_AndKeepsTheOtherParts()
    {
        await using var target = await CountingTarget.StartAsync();
        var rules = CorrelationRulesFile.Parse("rules:\n  - name: pw\n    value: Hunter 2&more\n    substitute: { form: password }\n", "rules.yaml");
        const string Body = "--XyZ\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nann\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n********\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"password\"; filename=\"password\"\r\nContent-Type: text/plain\r\n\r\nfile\r\n"
            + "--XyZ--\r\n";
        var exchange = Post(0, "/login", Body, "multipart/form-data; boundary=XyZ");
        exchange = exchange with { Request = exchange.Request with { Headers = [.. exchange.Request.Headers.Where(h => !h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)), new HeaderField("Content-Type", "multipart/form-data; boundary=XyZ")] } };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, CorrelationRules = rules }, Recorded.Stream([exchange]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal(Body.Replace("\r\n\r\n********\r\n", "\r\n\r\nHunter 2&more\r\n", StringComparison.Ordinal), Assert.Single(target.Arrivals).Body);
    }
}
