using System.Text;
using Reprise.Testing;
using Xunit;

namespace Reprise.Redaction.Tests.EndToEnd;

/// <summary>
/// End-to-end through the reprise executable: a recording shaped like an ASP.NET Core SignalR session (negotiate,
/// then the connection token sent back raw as <c>?id=</c> on the WebSocket and long-polling requests) redacted by
/// <c>reprise redact</c> with the default policy keeps the token nowhere (QA round 5, item 3).
/// </summary>
public sealed class CarryCliTests(ITestOutputHelper output)
{
    private const string ConnectionToken = "hV3kQ9xZ2mB7wT4nR8cY1p";
    private const string SessionId = "d41e8c2a-9b7f-4e55-a0c3-5f1e27b8c9d0";

    [Fact]
    public async Task Redact_SignalRShapedRecording_RawTokenAppearsNowhereInTheOutput()
    {
        using var dir = new TempDir();
        var input = dir.File("signalr.reprise.jsonl");
        var redacted = dir.File("out.reprise.jsonl");
        var negotiate = Exchanges.Send("POST", "http://127.0.0.1:5000/hubs/orders/negotiate?negotiateVersion=1", "", $$"""{"negotiateVersion":1,"connectionId":"Hd2r1hXrAqUOqjRzTnxdyw","connectionToken":"{{ConnectionToken}}","availableTransports":[{"transport":"WebSockets","transferFormats":["Text","Binary"]},{"transport":"LongPolling","transferFormats":["Text","Binary"]}]}""", id: "negotiate");
        var login = Exchanges.Send("POST", "http://127.0.0.1:5000/login", """{"user":"ann"}""", $$"""{"sessionId":"{{SessionId}}"}""", id: "login", offsetMs: 5);
        var socket = Exchanges.Get($"http://127.0.0.1:5000/hubs/orders?id={ConnectionToken}", id: "ws", offsetMs: 10) is var ws
            ? ws with
            {
                Request = ws.Request with { Headers = [new("Connection", "Upgrade"), new("Upgrade", "websocket"), new("X-Session", SessionId)] },
                Response = new ExchangeResponse { Status = 101, Headers = [new("Connection", "Upgrade"), new("Upgrade", "websocket")] },
                Messages =
                [
                    new WebSocketMessage { From = WebSocketPeer.Client, Kind = WebSocketMessageKind.Text, Payload = ExchangeBody.FromText("{\"protocol\":\"json\",\"version\":1}\u001e", "text/plain") },
                    new WebSocketMessage { From = WebSocketPeer.Client, Kind = WebSocketMessageKind.Text, Payload = ExchangeBody.FromText($$"""{"type":1,"invocationId":"0","target":"GetOrder","arguments":["{{SessionId}}"]}""" + "\u001e", "text/plain") },
                ],
            }
            : null!;
        var poll = Exchanges.Send("POST", $"http://127.0.0.1:5000/hubs/orders?id={ConnectionToken}&_=1764170000000", "{\"type\":6}\u001e", "", id: "poll", offsetMs: 20);
        var pollGet = Exchanges.Get($"http://127.0.0.1:5000/hubs/orders/{SessionId}/state?id={ConnectionToken}", "{}", id: "poll-get", offsetMs: 30);
        await Exchanges.WriteRecordingAsync(input, [negotiate, login, socket, poll, pollGet]);
        var before = await File.ReadAllBytesAsync(input, TestContext.Current.CancellationToken);
        Assert.Equal(4, Hits(before, ConnectionToken)); // in the input: negotiate, and the ws, poll and poll-get URLs

        var run = await RepriseExe.RunAsync(["redact", input, "-o", redacted], environment: new Dictionary<string, string> { ["REPRISE_REDACTION_KEY"] = "e2e-carry-key-0123456789abcdef" });
        output.WriteLine(run.Stderr);

        Assert.Equal(0, run.ExitCode);
        var bytes = await File.ReadAllBytesAsync(redacted, TestContext.Current.CancellationToken);
        Assert.Equal(0, Hits(bytes, ConnectionToken));
        Assert.Equal(0, Hits(bytes, SessionId));
        Assert.Contains("\"rule\":\"carried:secret\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    /// <summary>Occurrences of the value in the bytes, ignoring case.</summary>
    private static int Hits(byte[] bytes, string value)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var hits = 0;
        for (var at = text.IndexOf(value, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            hits++;
        }

        return hits;
    }
}
