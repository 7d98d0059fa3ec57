using Reprise.Core.Model;
using Reprise.Diff.Tests.Engine;
using Reprise.Testing;

namespace Reprise.Diff.Tests;

/// <summary>Review of the session's diff changes: WebSocket messages paired by a correlation key (senior review 15a).</summary>
public sealed class ReviewFindings15a
{
    private static Exchange Session(string id, params (WebSocketPeer From, string Text)[] messages)
    {
        var exchange = Exchanges.Get("http://rpc.test/ws", id: id);
        return exchange with
        {
            Protocol = Protocol.WebSocket,
            Response = new ExchangeResponse { Status = 101, Headers = [new("Upgrade", "websocket"), new("Connection", "Upgrade")] },
            Messages = [.. messages.Select((m, i) => new WebSocketMessage
            {
                From = m.From,
                Kind = WebSocketMessageKind.Text,
                Offset = TimeSpan.FromMilliseconds(i),
                Payload = ExchangeBody.FromText(m.Text, null),
            })],
        };
    }

    private static Exchange Result(Exchange exchange) => exchange with { Id = "c-" + exchange.Id, Tags = DiffRun.ResultTags("r1", null) };

    private static (WebSocketPeer, string) Client(string text) => (WebSocketPeer.Client, text);

    private static (WebSocketPeer, string) Server(string text) => (WebSocketPeer.Server, text);

    /// <summary>
    /// More messages of a key both sides have were counted, not compared, and one side's extras offset the other's: the
    /// recorded kernel sent a second <c>iopub</c> message (<c>stream: "42"</c>), the replayed one lost it and sent a second
    /// <c>shell</c> message (an error) instead. The turn has as many messages on both sides, so no count difference was
    /// reported, and neither extra was compared with anything: the diff said the sessions were identical. Extras are the
    /// rest, paired by position with the other side's extras like messages without the key.
    /// </summary>
    [Fact]
    public async Task ExtraMessagesOfKeysBothSidesHave_AreCompared_NotOffsetByCount()
    {
        var recorded = Session("r1", Client("execute"), Server("""{"channel":"iopub","state":"busy"}"""), Server("""{"channel":"iopub","text":"42"}"""), Server("""{"channel":"shell","status":"ok"}"""));
        var replayed = Result(Session("r1", Client("execute"), Server("""{"channel":"iopub","state":"busy"}"""), Server("""{"channel":"shell","status":"ok"}"""), Server("""{"channel":"shell","status":"error"}""")));

        var report = await DiffRun.RunAsync([recorded], [replayed]);

        Assert.NotEqual(0L, report.Endpoints.Sum(e => e.Diffs));
        var shown = string.Join(", ", report.Samples.SelectMany(s => s.Differences).Select(d => d.ToString()));
        Assert.Contains("iopub", shown, StringComparison.Ordinal);
    }
}
