using Reprise.Core.Model;
using Reprise.Diff.Bodies;
using Reprise.Diff.Model;

namespace Reprise.Diff.Tests.Bodies;

/// <summary>
/// QA round 12b (Prosody over BOSH): each Prosody process lists its SASL mechanisms in its own order, so every
/// stream-features answer differed by <c>body:/body/features/mechanisms/mechanism[1]: PLAIN → SCRAM-SHA-1</c>, and
/// <c>--ignore-array-order</c> changed nothing: it reached JSON arrays only. Repeated XML siblings are a set under it too.
/// </summary>
public sealed class XmlSiblingOrderTests
{
    private const string Recorded = "<body><features><mechanisms><mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms><bind/></features></body>";
    private const string Reordered = "<body><features><mechanisms><mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms><bind/></features></body>";

    private sealed class ListSink : IDiffSink
    {
        public List<string> Items { get; } = [];

        public void Report(string location, DifferenceKind kind, string? expected, string? actual) => Items.Add($"{location} {kind} {expected} {actual}");
    }

    private static List<string> Compare(string left, string right, bool ignoreOrder)
    {
        var sink = new ListSink();
        Assert.True(new XmlComparer().Compare(ExchangeBody.FromText(left, "text/xml"), ExchangeBody.FromText(right, "text/xml"), new BodyDiffContext(ignoreOrder, new Dictionary<string, string>()), sink));
        return sink.Items;
    }

    [Fact]
    public void RepeatedSiblingsInAnotherOrder_AreEqual_UnderIgnoreArrayOrder()
    {
        Assert.Empty(Compare(Recorded, Reordered, ignoreOrder: true));
    }

    [Fact]
    public void WithoutTheFlag_OrAChangedSibling_StillDiffers()
    {
        Assert.Equal(2, Compare(Recorded, Reordered, ignoreOrder: false).Count);
        var changed = Compare(Recorded, Reordered.Replace("PLAIN", "X-OAUTH2", StringComparison.Ordinal), ignoreOrder: true);
        Assert.Equal(["body:/body/features/mechanisms/mechanism[1] Changed PLAIN X-OAUTH2"], changed);
    }
}
