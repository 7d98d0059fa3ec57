using Reprise.Core.Model;
using Reprise.Diff.Tests.Engine;
using Reprise.Testing;

namespace Reprise.Diff.Tests;

/// <summary>Review of the session's diff changes: WebSocket messages paired by a correlation key (senior review 15a).</summary>
public sealed class ReviewFindings15a
{
    private static Exchange Session(string id, params (WebSocketPeer From, string Text)[] messages) =>
        Exchanges.WebSocket("http://rpc.test/ws", id, messages);

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

    /// <summary>
    /// A message holding a lone surrogate escape (<c>"\ud83d"</c>: valid JSON, what <c>JSON.stringify</c> writes for a string
    /// cut inside an emoji) made the key reader throw (<see cref="System.Text.Json.Utf8JsonReader.GetString"/> refuses an
    /// unpaired half with an <see cref="InvalidOperationException"/>, not a <see cref="System.Text.Json.JsonException"/>), and the
    /// whole diff failed. Such a message is read like any other: its key pairs it.
    /// </summary>
    [Theory]
    [InlineData("""{"id":1,"preview":"cut \ud83d"}""")]
    [InlineData("""{"id":1,"\udc00":"x"}""")]
    [InlineData("""{"id":"\ud800","v":1}""")]
    public async Task AMessageWithALoneSurrogateEscape_IsCompared(string message)
    {
        var recorded = Session("r1", Client("go"), Server(message), Server("""{"id":2,"total":7}"""));
        var replayed = Result(Session("r1", Client("go"), Server("""{"id":2,"total":8}"""), Server(message)));

        var report = await DiffRun.RunAsync([recorded], [replayed]);

        var shown = string.Join(", ", report.Samples.SelectMany(s => s.Differences).Select(d => d.ToString()));
        Assert.Contains("7 → 8", shown, StringComparison.Ordinal);
    }

    /// <summary>
    /// The same lone surrogate in a changed string (or a member name) made the JSON comparer throw for any body, HTTP or a
    /// message's: <see cref="System.Text.Json.JsonElement.GetString"/> refuses it. The string is compared with the unpaired
    /// half read as U+FFFD, as redaction reads it; a pair (<c>\ud83d\ude00</c>) is an emoji as before.
    /// </summary>
    [Theory]
    [InlineData("""{"id":1,"p":"a \ud83d"}""", """{"id":1,"p":"b \ud83d"}""", "$.p")]
    [InlineData("""{"id":1,"\udc00":"a"}""", """{"id":1,"\udc00":"b"}""", "$")]
    [InlineData("""{"id":1,"p":"\ud83d\ude00 \\ud83d"}""", """{"id":1,"p":"\ud83d\ude00 \\ud83e"}""", "$.p")]
    public async Task AChangedStringWithALoneSurrogateEscape_IsReported(string before, string after, string path)
    {
        var recorded = Session("r1", Client("go"), Server(before));
        var replayed = Result(Session("r1", Client("go"), Server(after)));

        var report = await DiffRun.RunAsync([recorded], [replayed]);

        var difference = Assert.Single(report.Samples.SelectMany(s => s.Differences));
        Assert.StartsWith("message[0]:" + path, difference.Location, StringComparison.Ordinal);
    }
}
