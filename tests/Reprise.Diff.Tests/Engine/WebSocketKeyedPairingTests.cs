using Reprise.Core.Model;
using Reprise.Diff.Model;

namespace Reprise.Diff.Tests.Engine;

/// <summary>
/// A server that multiplexes (JSON-RPC answering several pending calls, SignalR completions, GraphQL-over-WebSocket
/// subscriptions, Cockpit's channels) may answer in another order on replay. Within a turn, messages that carry a
/// correlation key are paired by it, the rest by position; a key on one side only is a missing or added message.
/// </summary>
public sealed class WebSocketKeyedPairingTests
{
    private static Exchange Session(string id, params (WebSocketPeer From, string Text)[] messages) =>
        Testing.Exchanges.WebSocket("http://rpc.test/ws", id, messages);

    private static Exchange Result(Exchange exchange) => exchange with { Id = "c-" + exchange.Id, Tags = DiffRun.ResultTags("r1", null) };

    private static (WebSocketPeer, string) Client(string text) => (WebSocketPeer.Client, text);

    private static (WebSocketPeer, string) Server(string text) => (WebSocketPeer.Server, text);

    /// <summary>Two calls sent at once, then their answers (<paramref name="first"/>, <paramref name="second"/>) in one turn.</summary>
    private static Exchange TwoCalls(string id, string first, string second) =>
        Session(id, Server("""{"hello":1}"""), Client("call a"), Client("call b"), Server(first), Server(second));

    public static TheoryData<string, string, string> Multiplexed => new()
    {
        { "JSON-RPC", """{"jsonrpc":"2.0","id":1,"result":{"total":3}}""", """{"jsonrpc":"2.0","id":2,"result":{"total":7}}""" },
        { "SignalR completions", "{\"type\":3,\"invocationId\":\"1\",\"result\":{\"total\":3}}\u001e", "{\"type\":3,\"invocationId\":\"2\",\"result\":{\"total\":7}}\u001e" },
        { "GraphQL over WebSocket", """{"id":"a1","type":"next","payload":{"data":{"total":3}}}""", """{"id":"b2","type":"next","payload":{"data":{"total":7}}}""" },
        { "Cockpit channels", "1:2!1\n{\"total\":3}", "1:3!1\n{\"total\":7}" },
        { "a key found by content", """{"op":"cart.total","value":3}""", """{"op":"stock.level","value":7}""" },
    };

    [Theory]
    [MemberData(nameof(Multiplexed))]
    public async Task RepliesInAnotherOrder_AreNoDifference(string protocol, string first, string second)
    {
        var recorded = TwoCalls("r1", first, second);
        var replayed = Result(TwoCalls("r1", second, first));

        var report = await DiffRun.RunAsync([recorded], [replayed]);

        Assert.True(report.Endpoints.Sum(e => e.Diffs) == 0, protocol + ": " + string.Join(", ", report.Endpoints.SelectMany(e => e.Locations).Select(l => l.Example.ToString())));
    }

    [Fact]
    public async Task AChangedPayloadOnOneChannel_IsReportedAtItsRecordedMessage()
    {
        var recorded = TwoCalls("r1", """{"jsonrpc":"2.0","id":1,"result":{"total":3}}""", """{"jsonrpc":"2.0","id":2,"result":{"total":7}}""");
        var replayed = Result(TwoCalls("r1", """{"jsonrpc":"2.0","id":2,"result":{"total":8}}""", """{"jsonrpc":"2.0","id":1,"result":{"total":3}}"""));

        var report = await DiffRun.RunAsync([recorded], [replayed]);

        // The answer to call 2 is the recording's message[2] (hello, answer 1, answer 2): only its total changed.
        var location = Assert.Single(report.Endpoints.SelectMany(e => e.Locations));
        Assert.Equal(("message[2]:$.result.total", DifferenceKind.Changed, "7", "8"), (location.Example.Location, location.Example.Kind, location.Example.Expected, location.Example.Actual));
    }

    [Fact]
    public async Task AMissingReply_IsReportedByItsKey_AndAnAddedOneToo()
    {
        var recorded = Session("r1", Client("call 1"), Client("call 2"), Client("call 3"),
            Server("""{"id":1,"result":"a"}"""), Server("""{"id":2,"result":"b"}"""), Server("""{"id":3,"result":"c"}"""));
        var missing = Result(Session("r1", Client("call 1"), Client("call 2"), Client("call 3"),
            Server("""{"id":3,"result":"c"}"""), Server("""{"id":1,"result":"a"}""")));
        var added = Result(Session("r1", Client("call 1"), Client("call 2"), Client("call 3"),
            Server("""{"id":3,"result":"c"}"""), Server("""{"id":1,"result":"a"}"""), Server("""{"id":4,"result":"d"}"""), Server("""{"id":2,"result":"b"}""")));

        var lost = await DiffRun.RunAsync([recorded], [missing]);
        var extra = await DiffRun.RunAsync([recorded], [added]);

        var removed = Assert.Single(lost.Endpoints.SelectMany(e => e.Locations)).Example;
        Assert.Equal(("message[id=2]", DifferenceKind.Removed, """{"id":2,"result":"b"}""", (string?)null), (removed.Location, removed.Kind, removed.Expected, removed.Actual));
        Assert.Equal("message[id=2]: removed (was {\"id\":2,\"result\":\"b\"})", removed.ToString());
        var more = Assert.Single(extra.Endpoints.SelectMany(e => e.Locations)).Example;
        Assert.Equal(("message[id=4]", DifferenceKind.Added, (string?)null, """{"id":4,"result":"d"}"""), (more.Location, more.Kind, more.Expected, more.Actual));
    }

    [Fact]
    public async Task MessagesWithoutTheKey_ArePairedByPosition_AndAChannelKeepsItsOwnOrder()
    {
        // Cockpit: two channels streaming, interleaved differently; a notification without a key among them.
        var recorded = Session("r1", Client("open"), Server("4\n{\"n\":1}"), Server("5\n{\"n\":1}"), Server("""{"notice":"x"}"""), Server("4\n{\"n\":2}"), Server("5\n{\"n\":2}"));
        var same = Result(Session("r1", Client("open"), Server("5\n{\"n\":1}"), Server("5\n{\"n\":2}"), Server("4\n{\"n\":1}"), Server("""{"notice":"x"}"""), Server("4\n{\"n\":2}")));
        var swapped = Result(Session("r1", Client("open"), Server("5\n{\"n\":2}"), Server("5\n{\"n\":1}"), Server("4\n{\"n\":1}"), Server("""{"notice":"y"}"""), Server("4\n{\"n\":2}")));

        var unchanged = await DiffRun.RunAsync([recorded], [same]);
        var changed = await DiffRun.RunAsync([recorded], [swapped]);

        Assert.Equal(0L, unchanged.Endpoints.Sum(e => e.Diffs));
        var examples = Assert.Single(changed.Samples).Differences.Select(d => d.ToString()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["message[1]:line 2: {\"n\":1} → {\"n\":2}", "message[2]:$.notice: x → y", "message[4]:line 2: {\"n\":2} → {\"n\":1}"], examples);
    }

    [Fact]
    public async Task AKeyTheNewBuildIssues_FallsBackToPosition()
    {
        // Server-issued UUIDs cannot match: paired by position, the format rule makes them noise, as before.
        var recorded = TwoCalls("r1", """{"id":"0d7f5e0a-3c8e-4a56-9d6b-2b0b6a1f7c11","total":3}""", """{"id":"7b1c2f44-9a0e-4d3b-8f51-6c2d9e0a4b22","total":7}""");
        var replayed = Result(TwoCalls("r1", """{"id":"e3a9c1d2-5b7f-4e80-a1c3-9d8e7f6a5b33","total":3}""", """{"id":"41f0b2c3-d4e5-4f67-8a9b-0c1d2e3f4a44","total":7}"""));

        var report = await DiffRun.RunAsync([recorded], [replayed]);

        Assert.Equal(0L, report.Endpoints.Sum(e => e.Diffs));
    }

    [Fact]
    public async Task AKeyReplayCorrelated_PairsTheRenamedMessage()
    {
        var recorded = TwoCalls("r1", """{"id":127,"total":3}""", """{"id":128,"total":7}""");
        var replayed = Result(TwoCalls("r1", """{"id":146,"total":7}""", """{"id":145,"total":3}""")) is var r
            ? r with { Tags = DiffRun.ResultTags("r1", "127=145 128=146") }
            : null!;

        var report = await DiffRun.RunAsync([recorded], [replayed]);

        Assert.Equal(0L, report.Endpoints.Sum(e => e.Diffs));
    }

    [Fact]
    public async Task AnIdReplayLearnedByPosition_DoesNotPairALostAnswerWithAnother()
    {
        // Replay pairs server messages by position to learn ids: call 1's answer lost, it learned 1=2 from call 2's.
        var recorded = TwoCalls("r1", """{"id":1,"total":3}""", """{"id":2,"total":7}""");
        var replayed = Result(Session("r1", Server("""{"hello":1}"""), Client("call a"), Client("call b"), Server("""{"id":2,"total":7}"""))) is var r
            ? r with { Tags = DiffRun.ResultTags("r1", "1=2") }
            : null!;

        var report = await DiffRun.RunAsync([recorded], [replayed]);

        var location = Assert.Single(report.Endpoints.SelectMany(e => e.Locations));
        Assert.Equal(("message[id=1]", DifferenceKind.Removed), (location.Example.Location, location.Example.Kind));
    }

    /// <summary>
    /// QA round 10a's Jupyter kernel session: its messages carry <c>"channel": "iopub"</c> / <c>"shell"</c>, and the replayed kernel
    /// sent three more iopub status messages in a turn. More messages of a key both sides have are a count difference, as
    /// before keyed pairing, not three "added" messages.
    /// </summary>
    [Fact]
    public async Task MoreMessagesOfAKeyBothSidesHave_AreACountDifference()
    {
        var recorded = Session("r1", Client("execute"), Server("""{"channel":"iopub","state":"busy"}"""), Server("""{"channel":"shell","status":"ok"}"""));
        var replayed = Result(Session("r1", Client("execute"), Server("""{"channel":"shell","status":"ok"}"""), Server("""{"channel":"iopub","state":"busy"}"""), Server("""{"channel":"iopub","state":"busy"}""")));

        var report = await DiffRun.RunAsync([recorded], [replayed]);

        var location = Assert.Single(report.Endpoints.SelectMany(e => e.Locations)).Example;
        Assert.Equal("messages: 2 server messages → 3 server messages", location.ToString());
    }
}
