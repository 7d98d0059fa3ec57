using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Reprise.Core.Text;
using Xunit;

namespace Reprise.Core.Tests.Text;

public sealed class GlobRegexTests
{
    [Theory]
    [InlineData("/orders/*", "[^/]", true, "/orders/[^/]*")]
    [InlineData("/api/**", "[^/]", true, "/api/.*")]
    [InlineData("/v?/x", "[^/]", true, "/v[^/]/x")]
    [InlineData("/v?/x", "[^/]", false, @"/v\?/x")]
    [InlineData("body:$.items[*].id", @"[^./\[\]]", false, @"body:\$\.items\[[^./\[\]]*]\.id")]
    [InlineData("GET /a.b (Op)", "[^/]", false, @"GET\ /a\.b\ \(Op\)")]
    public void Writes_WildcardsAsSegmentClasses_AndEverythingElseEscaped(string glob, string segment, bool questionMark, string expected)
    {
        Assert.Equal(expected, GlobRegex.Append(new StringBuilder(), glob, segment, questionMark).ToString());
    }

    [Fact]
    public void StarStaysInsideASegment_DoubleStarCrossesSegments()
    {
        var star = new Regex("^" + GlobRegex.Append(new StringBuilder(), "/a/*/c", "[^/]", true) + "$");
        var both = new Regex("^" + GlobRegex.Append(new StringBuilder(), "/a/**/c", "[^/]", true) + "$");
        Assert.Matches(star, "/a/b/c");
        Assert.DoesNotMatch(star, "/a/b/x/c");
        Assert.Matches(both, "/a/b/x/c");
    }

    [Fact]
    public void AGlobWithoutWildcards_MatchesExactlyItself()
    {
        Gen.Char[' ', '~'].Array[0, 20]
            .Select(chars => new string(chars).Replace("*", string.Empty, StringComparison.Ordinal).Replace("?", string.Empty, StringComparison.Ordinal))
            .Sample(text =>
            {
                var regex = new Regex("^" + GlobRegex.Append(new StringBuilder(), text, "[^/]", questionMark: true) + "$", RegexOptions.CultureInvariant);
                return regex.IsMatch(text) && !regex.IsMatch(text + "x") && (text.Length == 0 || !regex.IsMatch(text[1..]));
            });
    }
}
