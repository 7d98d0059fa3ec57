using Reprise.Core.Model;
using Reprise.Diff.Bodies;
using Reprise.Diff.Headers;
using Reprise.Diff.Model;

namespace Reprise.Diff.Tests.Headers;

public sealed class HeaderComparerTests
{
    private sealed class ListSink : IDiffSink
    {
        public List<Difference> Items { get; } = [];

        public void Report(string location, DifferenceKind kind, string? expected, string? actual) => Items.Add(new Difference(location, kind, expected, actual));
    }

    /// <summary>
    /// QA round 7: httpbin under gunicorn answers <c>OPTIONS</c> with <c>Allow</c> in another order in every process,
    /// so the test of an unchanged httpbin failed on <c>header:allow</c>. Set-valued headers compare as sets; a
    /// method that is added or gone is still a difference.
    /// </summary>
    [Theory]
    [InlineData("Allow", "HEAD, GET, POST, PUT, TRACE, OPTIONS, PATCH, DELETE", "OPTIONS, HEAD, POST, DELETE, PUT, GET, TRACE, PATCH", false)]
    [InlineData("Vary", "Accept-Encoding, Origin", "origin,Accept-Encoding", false)]
    [InlineData("Access-Control-Allow-Methods", "GET, POST", "POST, GET", false)]
    [InlineData("Allow", "GET, POST", "GET, POST, DELETE", true)]
    [InlineData("Link", "<a>; rel=next, <b>; rel=prev", "<b>; rel=prev, <a>; rel=next", true)] // order of other lists is kept
    public void SetValuedHeaders_OrderIsNoDifference_MembersAre(string name, string expected, string actual, bool differs)
    {
        var sink = new ListSink();

        HeaderComparer.Compare([new HeaderField(name, expected)], [new HeaderField(name, actual)], "header", sink);

        Assert.Equal(differs, sink.Items.Count > 0);
    }

    /// <summary>
    /// QA round 15a: graphite-web (Django's <c>GZipMiddleware</c>, which compresses from 200 bytes) answered its event
    /// list uncompressed in the recording (190 bytes) and compressed on replay (250: the event held redaction's tokens),
    /// adding <c>Vary: Accept-Encoding</c>; the diff failed the unchanged app on <c>header:vary</c>. Whether a server
    /// compressed is no difference (bodies are compared decoded); another member of <c>Vary</c> still is.
    /// </summary>
    [Theory]
    [InlineData(null, "Accept-Encoding", false)]
    [InlineData("accept-encoding", null, false)]
    [InlineData("Cookie", "Cookie, Accept-Encoding", false)]
    [InlineData("Accept-Encoding", "Accept-Encoding, Origin", true)]
    [InlineData(null, "Cookie", true)]
    [InlineData("Cookie, Accept-Encoding", "Accept-Encoding", true)]
    public void VaryAcceptEncoding_FollowsCompression_AndIsNoDifference(string? expected, string? actual, bool differs)
    {
        var sink = new ListSink();

        HeaderComparer.Compare(
            expected is null ? [] : [new HeaderField("Vary", expected)],
            actual is null ? [] : [new HeaderField("Vary", actual)],
            "header",
            sink);

        Assert.Equal(differs, sink.Items.Count > 0);
    }

    [Fact]
    public void SetValuedHeaders_RepeatedFieldsJoinedThenSorted()
    {
        var sink = new ListSink();

        HeaderComparer.Compare([new HeaderField("Allow", "GET"), new HeaderField("Allow", "POST")], [new HeaderField("Allow", "POST, GET")], "header", sink);

        Assert.Empty(sink.Items);
    }
}
