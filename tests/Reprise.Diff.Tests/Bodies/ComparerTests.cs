using System.Globalization;
using System.Buffers.Binary;
using CsCheck;
using Reprise.Core.Model;
using Reprise.Diff.Bodies;
using Reprise.Diff.Model;

namespace Reprise.Diff.Tests.Bodies;

public sealed class ComparerTests
{
    private sealed class ListSink : IDiffSink
    {
        public List<Difference> Items { get; } = [];

        public void Report(string location, DifferenceKind kind, string? expected, string? actual) => Items.Add(new Difference(location, kind, expected, actual));
    }

    private static List<Difference> Compare(IDiffComparer comparer, string left, string right, string media, BodyDiffContext? context = null)
    {
        var sink = new ListSink();
        Assert.True(comparer.Compare(ExchangeBody.FromText(left, media), ExchangeBody.FromText(right, media), context ?? BodyDiffContext.Default, sink));
        return sink.Items;
    }

    [Fact]
    public void Json_ReportsChangedAddedRemovedByPath()
    {
        var diffs = Compare(new JsonComparer(), """{"a":1,"b":{"c":"x","d":[1,2]},"gone":true}""", """{"b":{"d":[1,3,4],"c":"x"},"a":1.0,"new":null}""", "application/json");

        Assert.Equal(
            ["body:$.b.d[1] Changed 2→3", "body:$.b.d[2] Added →4", "body:$.gone Removed true→", "body:$.new Added →null"],
            diffs.Select(d => $"{d.Location} {d.Kind} {d.Expected}→{d.Actual}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Json_IgnoreArrayOrder_ThousandsOfReKeyedElements_MatchThroughCorrelatedIdsInLinearTime()
    {
        // Review of the QA4 fix: matching a key through correlated ids tried every unmatched pair (O(n*m) calls, each
        // building a dictionary): 5,000 re-keyed elements meant ~25M calls for one exchange.
        const int N = 5000;
        var pairs = Enumerable.Range(0, CorrelatedPairs.MaxPairs).Select(i => ((1000 + i).ToString(CultureInfo.InvariantCulture), (9000 + i).ToString(CultureInfo.InvariantCulture))).ToList();
        var left = "[" + string.Join(',', Enumerable.Range(0, N).Select(i => $$"""{"id":"user {{1000 + i}}","v":{{i}}}""")) + "]";
        var right = "[" + string.Join(',', Enumerable.Range(0, N).Reverse().Select(i => $$"""{"id":"user {{(i < pairs.Count ? 9000 : 20000) + i}}","v":{{i}}}""")) + "]";
        var context = new BodyDiffContext(true, new Dictionary<string, string>()) { Correlated = pairs, MaxDifferences = 4 * N };

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var diffs = Compare(new JsonComparer(), left, right, "application/json", context);
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}"); // a sanity guard, not a benchmark
        Assert.Equal(N - pairs.Count, diffs.Count(d => d.Kind == DifferenceKind.Removed));
        Assert.Equal(N - pairs.Count, diffs.Count(d => d.Kind == DifferenceKind.Added));
        Assert.DoesNotContain(diffs, d => d.Kind != DifferenceKind.Changed && (d.Location.Contains("user 1000]", StringComparison.Ordinal) || d.Location.Contains("user 9000]", StringComparison.Ordinal)));
        Assert.Contains(diffs, d => d.Kind == DifferenceKind.Changed && d.Location == "body:$[id=user 1000].id"); // paired: the key's own change is left to the correlation
    }

    [Fact]
    public void Json_IgnoreArrayOrder_MatchesByDetectedKey()
    {
        var left = """{"items":[{"id":1,"n":"a"},{"id":2,"n":"b"}]}""";
        var right = """{"items":[{"id":2,"n":"B"},{"id":1,"n":"a"}]}""";

        var byIndex = Compare(new JsonComparer(), left, right, "application/json");
        var byKey = Compare(new JsonComparer(), left, right, "application/json", new BodyDiffContext(true, new Dictionary<string, string>()));
        var explicitKey = Compare(new JsonComparer(), left, right, "application/json", new BodyDiffContext(false, new Dictionary<string, string> { ["$.items"] = "id" }));

        Assert.Equal(4, byIndex.Count);
        var single = Assert.Single(byKey);
        Assert.Equal("body:$.items[id=2].n", single.Location);
        Assert.Equal("body:$.items[id=2].n", Assert.Single(explicitKey).Location);
    }

    [Fact]
    public void Json_EqualDocumentsInAnyMemberOrder_HaveNoDifferences_Property()
    {
        Gen.Dictionary(Gen.String[Gen.Char.AlphaNumeric, 1, 6], Gen.Int).Sample(map =>
        {
            var forward = "{" + string.Join(",", map.Select(p => $"\"{p.Key}\":{p.Value}")) + "}";
            var backward = "{" + string.Join(",", map.Reverse().Select(p => $"\"{p.Key}\":{p.Value}.0")) + "}";
            return Compare(new JsonComparer(), forward, backward, "application/json").Count == 0;
        });
    }

    [Fact]
    public void Xml_ComparesElementPathsIgnoringPrefixes()
    {
        var left = """<s:Envelope xmlns:s="urn:e"><s:Body><R a="1"><Item>1</Item><Item>2</Item><Name>x</Name></R></s:Body></s:Envelope>""";
        var right = """<soap:Envelope xmlns:soap="urn:e"><soap:Body><R a="2"><Item>1</Item><Item>3</Item></R></soap:Body></soap:Envelope>""";

        var diffs = Compare(new XmlComparer(), left, right, "text/xml");

        Assert.Equal(
            ["body:/Envelope/Body/R/@a Changed", "body:/Envelope/Body/R/Item[2] Changed", "body:/Envelope/Body/R/Name Removed"],
            diffs.Select(d => $"{d.Location} {d.Kind}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Xml_ADocumentEscapedInsideAnElement_IsComparedByItsOwnPaths()
    {
        // QA round 10b (MiniDLNA): a ContentDirectory Browse answers its items as a DIDL-Lite document escaped inside
        // <Result>; a changed item was reported as the whole Result shortened to its namespace declarations, the change
        // itself cut off.
        static string Browse(string url) =>
            "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:BrowseResponse xmlns:u=\"urn:schemas-upnp-org:service:ContentDirectory:1\"><Result>"
            + System.Security.SecurityElement.Escape(
                "<DIDL-Lite xmlns=\"urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:upnp=\"urn:schemas-upnp-org:metadata-1-0/upnp/\">"
                + "<item id=\"1$4$0\" parentID=\"1$4\" restricted=\"1\"><dc:title>Holiday 2025</dc:title><upnp:class>object.item.audioItem.musicTrack</upnp:class>"
                + $"<res size=\"1644\" protocolInfo=\"http-get:*:audio/x-wav:*\">{url}</res></item>"
                + "<item id=\"1$4$1\" parentID=\"1$4\" restricted=\"1\"><dc:title>Team call</dc:title></item></DIDL-Lite>")
            + "</Result><NumberReturned>2</NumberReturned></u:BrowseResponse></s:Body></s:Envelope>";

        var diffs = Compare(new XmlComparer(), Browse("http://10.0.0.5:8200/MediaItems/23.wav"), Browse("http://10.0.0.5:8200/MediaItems/24.wav"), "text/xml");

        var difference = Assert.Single(diffs);
        Assert.Equal("body:/Envelope/Body/BrowseResponse/Result/DIDL-Lite/item[1]/res", difference.Location);
        Assert.Equal("http://10.0.0.5:8200/MediaItems/23.wav", difference.Expected);
        Assert.Equal("http://10.0.0.5:8200/MediaItems/24.wav", difference.Actual);
    }

    [Theory]
    [InlineData("<b>one</b>", "plain text")] // only one side is a document: compared as text
    [InlineData("<not closed", "<not closed either")] // neither parses
    [InlineData("a < b", "a < c")]
    public void Xml_ATextThatIsNotADocumentOnBothSides_IsOneChangedValue(string left, string right)
    {
        var esc = System.Security.SecurityElement.Escape;
        var diffs = Compare(new XmlComparer(), $"<r><v>{esc(left)}</v></r>", $"<r><v>{esc(right)}</v></r>", "text/xml");

        var difference = Assert.Single(diffs);
        Assert.Equal("body:/r/v", difference.Location);
        Assert.Equal(left, difference.Expected);
    }

    [Fact]
    public void Form_ComparesFieldsInAnyOrder()
    {
        var diffs = Compare(new FormComparer(), "a=1&b=two+words&c=3", "b=two%20words&a=2&d=4", "application/x-www-form-urlencoded");

        Assert.Equal(["body:form.a Changed", "body:form.c Removed", "body:form.d Added"], diffs.Select(d => $"{d.Location} {d.Kind}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Text_ReportsLineBlocks()
    {
        var diffs = Compare(new TextComparer(), "a\nb\nc\n", "a\nB\nc\nd\n", "text/plain");

        Assert.Contains(diffs, d => d.Location == "body:line 2" && d.Kind == DifferenceKind.Changed && d.Expected == "b" && d.Actual == "B");
        Assert.Contains(diffs, d => d.Kind == DifferenceKind.Added && d.Actual == "d");
    }

    [Fact]
    public void Grpc_DecodesFieldsWithoutDescriptors()
    {
        // message { 1: "ada", 2: 42, 3: { 1: 7 } }
        byte[] Message(string name, int age, int nested) =>
            [0x0A, (byte)name.Length, .. System.Text.Encoding.UTF8.GetBytes(name), 0x10, (byte)age, 0x1A, 0x02, 0x08, (byte)nested];
        static byte[] Frame(byte[] m)
        {
            var framed = new byte[m.Length + 5];
            BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)m.Length);
            m.CopyTo(framed, 5);
            return framed;
        }

        var sink = new ListSink();
        var ok = new GrpcComparer().Compare(ExchangeBody.FromBytes(Frame(Message("ada", 42, 7)), "application/grpc"), ExchangeBody.FromBytes(Frame(Message("ada", 43, 8)), "application/grpc"), BodyDiffContext.Default, sink);

        Assert.True(ok);
        Assert.Equal(["body:msg[0].2 42→43", "body:msg[0].3.1 7→8"], sink.Items.Select(d => $"{d.Location} {d.Expected}→{d.Actual}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Json_UnparseableSide_FallsBack()
    {
        var sink = new ListSink();
        Assert.False(new JsonComparer().Compare(ExchangeBody.FromText("{\"a\":1}", "application/json"), ExchangeBody.FromText("<html>oops</html>", "application/json"), BodyDiffContext.Default, sink));
    }
}
