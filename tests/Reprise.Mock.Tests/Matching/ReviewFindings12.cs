using Reprise.Mock.Matching;
using Xunit;

namespace Reprise.Mock.Tests.Matching;

/// <summary>Review of the NDJSON matching (3b05b06): the leaves of later documents must be nameable and survive a bad tail.</summary>
public sealed class ReviewFindings12
{
    private const string Action = "{\"index\":{\"_index\":\"people\"}}\n";

    /// <summary>
    /// A body whose later bytes are no JSON (a JSON value and then text, the last line of a _bulk cut short) was walked by
    /// its first document before 3b05b06; since then the whole body became one digest, so any difference in it missed.
    /// </summary>
    [Theory]
    [InlineData("{\"name\":\"ana\",\"city\":\"Porto\"} trailing words", "body[1]", "trailing words")]
    [InlineData(Action + "{\"name\":\"ana\",\"city\":\"Porto\"}\n{\"name\":\"be", "body[2]", "{\"name\":\"be")]
    public void DocumentsBeforeATailThatIsNoJson_AreStillWalked(string body, string tailKey, string tail)
    {
        var shape = MockFixtures.Shape("POST", "https://es.test/_bulk", body, "application/x-ndjson");

        Assert.Contains(shape.Leaves, l => l.Key.StartsWith("body.$.", StringComparison.Ordinal));
        Assert.DoesNotContain(shape.Leaves, l => l.Key == "body");
        Assert.Contains(shape.Leaves, l => l.Key == tailKey && l.Value == tail);
    }

    /// <summary>
    /// A later document's leaf (body[1].$.ts) could not be named as volatile: --volatile and the YAML rejected it as "not a
    /// request field", so a timestamp in a _bulk's second line made every live _bulk miss with no way to ignore it.
    /// </summary>
    [Fact]
    public void ALaterDocumentsLeaf_CanBeConfiguredVolatile()
    {
        var recorded = MockFixtures.Send("POST", "https://es.test/_bulk", Action + "{\"name\":\"ana\",\"ts\":\"t-1\"}\n", """{"errors":false}""");
        var index = MockFixtures.Index([recorded], volatileNames: ["body[1].$.ts", "body[2]"]);

        var live = MockFixtures.Shape("POST", "https://es.test/_bulk", Action + "{\"name\":\"ana\",\"ts\":\"t-2\"}\n");

        Assert.Equal(MatchTier.Volatile, index.Match(live).Tier);
    }

    /// <summary>
    /// rv12's open design question: a configured <c>body.$.ts</c> named the first document's leaf only, so ignoring a field
    /// of every _bulk line meant listing body[1].$.ts, body[2].$.ts… It now names that leaf in every document.
    /// </summary>
    [Fact]
    public void AConfiguredBodyLeaf_IsVolatileInEveryDocument()
    {
        const string Line = "{\"index\":{\"_index\":\"logs\"}}\n";
        var recorded = MockFixtures.Send("POST", "https://es.test/_bulk", Line + "{\"msg\":\"up\",\"ts\":\"t-1\"}\n" + Line + "{\"msg\":\"down\",\"ts\":\"t-2\"}\n", """{"errors":false}""");
        var index = MockFixtures.Index([recorded], volatileNames: ["body.$.ts"]);

        var same = MockFixtures.Shape("POST", "https://es.test/_bulk", Line + "{\"msg\":\"up\",\"ts\":\"t-8\"}\n" + Line + "{\"msg\":\"down\",\"ts\":\"t-9\"}\n");
        var other = MockFixtures.Shape("POST", "https://es.test/_bulk", Line + "{\"msg\":\"up\",\"ts\":\"t-8\"}\n" + Line + "{\"msg\":\"gone\",\"ts\":\"t-9\"}\n");

        Assert.Equal(MatchTier.Volatile, index.Match(same).Tier);
        Assert.NotEqual(MatchTier.Volatile, index.Match(other).Tier);
        Assert.NotEqual(MatchTier.Exact, index.Match(other).Tier);
    }
}
