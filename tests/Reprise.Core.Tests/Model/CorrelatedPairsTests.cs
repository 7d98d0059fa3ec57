using CsCheck;
using Reprise.Core.Model;
using Xunit;

namespace Reprise.Core.Tests.Model;

public sealed class CorrelatedPairsTests
{
    [Theory]
    [InlineData("127", true)]
    [InlineData("12345678901234567890", true)]
    [InlineData("123456789012345678901", false)]
    [InlineData("7f0c2a3e-1b4d-4c5e-9f60-718293a4b5c6", true)]
    [InlineData("ord_8f3a9c", true)]
    [InlineData("abcdef", false)] // a word, not an id
    [InlineData("Zx81kQp0aL2mNs7Vb3TqZx81kQp0aL2mNs7Vb3Tq", false)] // a token-length secret
    [InlineData("a b", false)]
    [InlineData("x=1", false)]
    [InlineData("", false)]
    [InlineData("5EE3-6B09C480-65-74F6E500.vcf", true)] // SOGo's newguid (QA round 15b)
    [InlineData("qa15b-1795800000-ev.ics", true)]
    [InlineData("Zx81kQp0aL2mNs7Vb3TqZx81kQp0aL2mNs7Vb3Tq.js", false)] // no hyphen: a hash, not a resource id
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0", false)]
    [InlineData("1.5", false)]
    public void IsIdShaped(string value, bool expected) => Assert.Equal(expected, CorrelatedPairs.IsIdShaped(value));

    [Fact]
    public void Format_KeepsChangedIdShapedPairs_AndParseReadsThemBack()
    {
        var text = CorrelatedPairs.Format([("127", "145"), ("5", "5"), ("csrf", "Zx81kQp0aL2mNs7Vb3TqZx81kQp0aL2mNs7Vb3Tq"), ("ord_1", "ord_2")]);

        Assert.Equal("127=145 ord_1=ord_2", text);
        Assert.Equal([("127", "145"), ("ord_1", "ord_2")], CorrelatedPairs.Parse(text));
        Assert.Empty(CorrelatedPairs.Parse(null));
        Assert.Empty(CorrelatedPairs.Parse("garbage =1 1= a=b"));
    }

    [Fact]
    public void Format_HoldsAtMostMaxPairs()
    {
        var pairs = Enumerable.Range(1, 100).Select(i => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), (i + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(CorrelatedPairs.MaxPairs, CorrelatedPairs.Parse(CorrelatedPairs.Format(pairs)).Count);
    }

    [Theory]
    [InlineData("127", "145", true)]
    [InlineData("\"/users/127/orders\"", "\"/users/145/orders\"", true)]
    [InlineData("/users/127?owner=5", "/users/145?owner=6", true)]
    [InlineData("a127", "a145", false)] // inside a longer token
    [InlineData("127", "146", false)]
    [InlineData("127 Dave", "145 Erin", false)] // the id and something else changed
    [InlineData("127", "127", false)] // no difference to explain
    public void Explains_OnlyWholeTokenSubstitutions(string expected, string actual, bool explained) =>
        Assert.Equal(explained, CorrelatedPairs.Explains([("127", "145"), ("5", "6")], expected, actual));

    /// <summary>SOGo names what it creates <c>id.vcf</c>/<c>id.ics</c> (QA round 15b): replay correlated them, diff reported them.</summary>
    [Theory]
    [InlineData("5EE3-6B09C480-65-74F6E500.vcf", "5EE4-6B09D180-29-2AB22BC0.vcf", true)]
    [InlineData("/personal/5EE3-6B09C480-65-74F6E500.vcf/view", "/personal/5EE4-6B09D180-29-2AB22BC0.vcf/view", true)]
    [InlineData("5EE3-6B09C480-65-74F6E500.vcf", "5EE4-6B09D180-29-2AB22BC0.ics", false)]
    public void Explains_AResourceIdWithItsExtension(string expected, string actual, bool explained) =>
        Assert.Equal(explained, CorrelatedPairs.Explains([("5EE3-6B09C480-65-74F6E500.vcf", "5EE4-6B09D180-29-2AB22BC0.vcf")], expected, actual));

    [Fact]
    public void Explains_SubstitutesAllAtOnce_NotInChains()
    {
        // 127 -> 145 and 145 -> 200: a recorded 127 became 145, not 200 (replay substitutes simultaneously).
        Assert.True(CorrelatedPairs.Explains([("127", "145"), ("145", "200")], "127,145", "145,200"));
        Assert.False(CorrelatedPairs.Explains([("127", "145"), ("145", "200")], "127", "200"));
    }

    [Fact]
    public void FormatThenParse_RoundTripsIdShapedPairs()
    {
        var id = Gen.OneOf(Gen.Long[0, long.MaxValue].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), Gen.Guid.Select(g => g.ToString("D")));
        Gen.Select(id, id).List[0, 40].Sample(pairs =>
        {
            var expected = pairs.Where(p => p.Item1 != p.Item2).Take(CorrelatedPairs.MaxPairs).ToList();
            Assert.Equal(expected, CorrelatedPairs.Parse(CorrelatedPairs.Format(pairs)));
        });
    }
}
