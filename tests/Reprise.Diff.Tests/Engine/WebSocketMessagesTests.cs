using Reprise.Core.Model;
using Reprise.Diff.Model;

namespace Reprise.Diff.Tests.Engine;

/// <summary>A replayed WebSocket session is compared by what the server said: its messages in order, and how many.</summary>
public sealed class WebSocketMessagesTests
{
    private static Exchange Session(string id, string accept, params (WebSocketPeer From, string Text)[] messages) =>
        Testing.Exchanges.WebSocket("http://chat.test/live", id, messages, new HeaderField("Sec-WebSocket-Accept", accept));

    private static Exchange Result(Exchange exchange, string of) => exchange with { Tags = DiffRun.ResultTags(of, null) };

    [Fact]
    public async Task SameConversation_NoDiff_WhateverTheHandshakeKey_OrTheClientsWording()
    {
        var recorded = Session("r1", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", (WebSocketPeer.Server, """{"hello":1}"""), (WebSocketPeer.Client, "ping 1"), (WebSocketPeer.Server, """{"total":3}"""));
        var replayed = Result(Session("c1", "HSmrc0sMlYUkAGmm5OPpG2HaGWk=", (WebSocketPeer.Server, """{"hello":1}"""), (WebSocketPeer.Client, "ping 2"), (WebSocketPeer.Server, """{"total":3}""")), "r1");

        var report = await DiffRun.RunAsync([recorded], [replayed]);

        Assert.Equal(0L, report.Endpoints.Sum(e => e.Diffs));
    }

    [Fact]
    public async Task AnExtraHeartbeat_ShiftsOnlyItsOwnTurn_AndLatencyIgnoresHowLongSessionsStayedOpen()
    {
        var recorded = Session("r1", "a", (WebSocketPeer.Server, """{"hello":1}"""), (WebSocketPeer.Client, "a"), (WebSocketPeer.Server, """{"reply":"a"}"""), (WebSocketPeer.Client, "b"), (WebSocketPeer.Server, """{"reply":"b"}""")) with { Duration = TimeSpan.FromMilliseconds(50) };
        var replayed = Result(Session("c1", "a", (WebSocketPeer.Server, """{"hello":1}"""), (WebSocketPeer.Server, """{"heartbeat":true}"""), (WebSocketPeer.Client, "a"), (WebSocketPeer.Server, """{"reply":"a"}"""), (WebSocketPeer.Client, "b"), (WebSocketPeer.Server, """{"reply":"b"}""")), "r1") with { Duration = TimeSpan.FromSeconds(30) };

        var report = await DiffRun.RunAsync([recorded], [replayed]);

        // Paired by position alone, every reply after the heartbeat would differ; by turn only the count does.
        var locations = report.Endpoints.SelectMany(e => e.Locations).Select(l => l.Location).ToArray();
        Assert.Equal(new[] { "messages" }, locations);
        Assert.DoesNotContain(report.Endpoints, e => e.Failed && e.Reasons.Any(r => r.Contains("p95", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ChangedOrMissingServerMessages_AreDifferencesAtTheirMessage()
    {
        var recorded = Session("r1", "a", (WebSocketPeer.Server, """{"hello":1}"""), (WebSocketPeer.Client, "buy"), (WebSocketPeer.Server, """{"total":3,"currency":"EUR"}"""), (WebSocketPeer.Server, """{"done":true}"""));
        var replayed = Result(Session("c1", "a", (WebSocketPeer.Server, """{"hello":1}"""), (WebSocketPeer.Client, "buy"), (WebSocketPeer.Server, """{"total":4,"currency":"EUR"}""")), "r1");

        var report = await DiffRun.RunAsync([recorded], [replayed]);

        // Grouped over messages like array items; a sample names the message (message[1]:$.total).
        var locations = report.Endpoints.SelectMany(e => e.Locations).ToDictionary(l => l.Location, l => l.Kind);
        Assert.Equal(DifferenceKind.Changed, locations["message[*]:$.total"]);
        Assert.Equal(DifferenceKind.Changed, locations["messages"]);
        Assert.Equal(2, locations.Count);
        var total = report.Endpoints.SelectMany(e => e.Locations).Single(l => l.Location == "message[*]:$.total").Example;
        Assert.Equal(("message[1]:$.total", "3", "4"), (total.Location, total.Expected, total.Actual));
        Assert.Equal(1L, report.Endpoints.Sum(e => e.Diffs));

        // The side-by-side view shows the server's messages, not the stored frames.
        var sample = Assert.Single(report.Samples);
        Assert.Contains("message[2]", sample.ExpectedBody, StringComparison.Ordinal);
        Assert.Contains("\"done\": true", sample.ExpectedBody, StringComparison.Ordinal);
        Assert.DoesNotContain("message[2]", sample.ActualBody, StringComparison.Ordinal);
        Assert.Contains("\"total\": 4", sample.ActualBody, StringComparison.Ordinal);
    }

    /// <summary>
    /// QA5 finding: a socket.io session replayed unchanged failed on every ack (<c>431[{"id":689,"at":1795712546897}]</c>):
    /// the Engine.IO packet prefix made the message text, so a new timestamp was a changed line and the correlated id could
    /// not be told from a change. Framed JSON is compared as JSON; a changed value inside it is still a difference.
    /// </summary>
    [Fact]
    public async Task SocketIoPackets_AreComparedAsJson_NoiseIgnored_AndAChangedValueNamed()
    {
        var recorded = Session("r1", "a", (WebSocketPeer.Server, "0{\"sid\":\"ja0pRrOgdzsM6DdSAAAA\"}"), (WebSocketPeer.Client, "421[\"chat\"]"), (WebSocketPeer.Server, "431[{\"id\":689,\"at\":1795712546897,\"text\":\"HI\"}]"));
        var same = Result(Session("c1", "a", (WebSocketPeer.Server, "0{\"sid\":\"Zx81bQ0oPq2LmNsTAAAB\"}"), (WebSocketPeer.Client, "421[\"chat\"]"), (WebSocketPeer.Server, "431[{\"id\":712,\"at\":1795712999123,\"text\":\"HI\"}]")), "r1") is var s
            ? s with { Tags = DiffRun.ResultTags("r1", "689=712 ja0pRrOgdzsM6DdSAAAA=Zx81bQ0oPq2LmNsTAAAB") }
            : null!;
        var changed = same with { Id = "c2", Messages = same.Messages.SetItem(2, same.Messages[2] with { Payload = ExchangeBody.FromText("431[{\"id\":712,\"at\":1795712999123,\"text\":\"hi\"}]", null) }) };

        var unchanged = await DiffRun.RunAsync([recorded], [same]);
        var regressed = await DiffRun.RunAsync([recorded], [changed]);

        Assert.Equal(0L, unchanged.Endpoints.Sum(e => e.Diffs));
        var location = Assert.Single(regressed.Endpoints.SelectMany(e => e.Locations));
        Assert.Equal(("message[1]:$[0].text", "HI", "hi"), (location.Example.Location, location.Example.Expected, location.Example.Actual));
    }

    /// <summary>
    /// An Engine.IO polling response batches packets, a bare ping among them (<c>2␞42["news",{…}]</c>): the batch is read as
    /// framed JSON (noise ignored, a change named at its record), not as one line of text because the ping holds no JSON;
    /// whether a ping is in the batch depends on timing, so records with data are paired in order and pings are not compared.
    /// </summary>
    [Fact]
    public async Task PollingBatchWithABarePing_IsComparedAsJson_RecordByRecord()
    {
        static Exchange Poll(string id, string body) => Testing.Exchanges.Get("http://chat.test/socket.io/?EIO=4&transport=polling", body, id: id);
        var recorded = Poll("r1", "2\u001e42[\"news\",{\"at\":1795712546897,\"title\":\"HI\"}]");
        var same = Result(Poll("c1", "42[\"news\",{\"at\":1795712999123,\"title\":\"HI\"}]"), "r1"); // no ping this time: not a difference
        var changed = Result(Poll("c2", "42[\"news\",{\"at\":1795712999123,\"title\":\"hi\"}]\u001e2"), "r1");

        var unchanged = await DiffRun.RunAsync([recorded], [same]);
        var regressed = await DiffRun.RunAsync([recorded], [changed]);

        Assert.Equal(0L, unchanged.Endpoints.Sum(e => e.Diffs));
        var location = Assert.Single(regressed.Endpoints.SelectMany(e => e.Locations));
        Assert.Equal(("body:$[1].title", "HI", "hi"), (location.Example.Location, location.Example.Expected, location.Example.Actual));
    }

    /// <summary>QA5 finding (SignalR): records framed differently in the two runs (one frame of two records vs two frames) are the same conversation.</summary>
    [Fact]
    public async Task SignalRRecords_ArePairedByRecord_NotByFrame()
    {
        const string Placed = "{\"type\":1,\"target\":\"OrderPlaced\",\"arguments\":[{\"total\":25}]}\u001e";
        const string Answer = "{\"type\":3,\"invocationId\":\"0\",\"result\":{\"status\":\"placed\"}}\u001e";
        var recorded = Session("r1", "a", (WebSocketPeer.Server, "{}\u001e"), (WebSocketPeer.Server, Placed + Answer));
        var same = Result(Session("c1", "a", (WebSocketPeer.Server, "{}\u001e"), (WebSocketPeer.Server, Placed), (WebSocketPeer.Server, Answer)), "r1");
        var changed = Result(Session("c2", "a", (WebSocketPeer.Server, "{}\u001e"), (WebSocketPeer.Server, Placed.Replace("25", "26", StringComparison.Ordinal)), (WebSocketPeer.Server, Answer)), "r1");

        var unchanged = await DiffRun.RunAsync([recorded], [same]);
        var regressed = await DiffRun.RunAsync([recorded], [changed]);

        Assert.Equal(0L, unchanged.Endpoints.Sum(e => e.Diffs));
        var location = Assert.Single(regressed.Endpoints.SelectMany(e => e.Locations));
        Assert.Equal(("message[1]:$.arguments[0].total", "25", "26"), (location.Example.Location, location.Example.Expected, location.Example.Actual));
    }

    /// <summary>
    /// QA5 finding (SignalR): after the client's {"type":7} and close, the hub sent its own {"type":7} in some runs only, so an
    /// unchanged app failed now and then on the messages count. Server messages after the client's close are not compared.
    /// </summary>
    [Fact]
    public async Task ServerMessagesAfterTheClientsClose_AreNotCompared()
    {
        static WebSocketMessage Close(WebSocketPeer from) => new() { From = from, Kind = WebSocketMessageKind.Close, Offset = TimeSpan.FromMilliseconds(50), CloseCode = 1000 };
        var recorded = Session("r1", "a", (WebSocketPeer.Server, "{\"total\":3}\u001e"));
        recorded = recorded with { Messages = recorded.Messages.Add(Close(WebSocketPeer.Client)).Add(Close(WebSocketPeer.Server)) };
        var replayed = Result(Session("c1", "a", (WebSocketPeer.Server, "{\"total\":3}\u001e")), "r1");
        replayed = replayed with
        {
            Messages = replayed.Messages.Add(Close(WebSocketPeer.Client))
                .Add(new WebSocketMessage { From = WebSocketPeer.Server, Kind = WebSocketMessageKind.Text, Offset = TimeSpan.FromMilliseconds(55), Payload = ExchangeBody.FromText("{\"type\":7}\u001e", null) })
                .Add(Close(WebSocketPeer.Server)),
        };

        var report = await DiffRun.RunAsync([recorded], [replayed]);

        Assert.Equal(0L, report.Endpoints.Sum(e => e.Diffs));
    }
}
