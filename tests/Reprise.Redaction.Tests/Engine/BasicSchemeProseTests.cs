using Reprise.Core.Model;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 13b (Tiny Tiny RSS's web UI in headless Chromium, recorded, then served by <c>mock</c>): dojo's comments
/// ("Basic comparison function", "handles basic selectors") were read as Basic credentials, "selectors" was masked, and
/// the carried pass masked the word in every later script (<c>Sizzle.********* = {</c> in prototype.js,
/// <c>var ********* = query.match(…)</c>): from the mock the page threw <c>Unexpected token '**'</c> and never loaded.
/// A Basic credential is base64 of <c>user:password</c> (RFC 7617); any other word after "basic" needs a digit, as
/// after "token".
/// </summary>
public sealed class BasicSchemeProseTests
{
    [Theory]
    [InlineData("// this is a simple query engine. It has handles basic selectors, and for simple")]
    [InlineData("//\t\tBasic comparison function that compares if an item is greater or less than another item")]
    [InlineData("instead of the basic comparator, which is typically used")]
    public void AWordAfterBasic_InProse_IsNotACredential(string text)
    {
        var matches = new List<(int Start, int Length)>();
        new BearerTokenDetector().Find(text, matches);

        Assert.Empty(matches);
    }

    [Theory]
    [InlineData("curl -H 'Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l' http://x", "YWxhZGRpbjpvcGVuc2VzYW1l")]
    [InlineData("auth = basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA==")]
    [InlineData("Basic abc123def456", "abc123def456")]
    [InlineData("use Bearer selectorsOnlyLetters here", "selectorsOnlyLetters")]
    public void ACredentialAfterAScheme_IsStillFound(string text, string expected)
    {
        var matches = new List<(int Start, int Length)>();
        new BearerTokenDetector().Find(text, matches);

        var (start, length) = Assert.Single(matches);
        Assert.Equal(expected, text.Substring(start, length));
    }

    [Fact]
    public void AScriptsCommentsAndTheNamesTheyMention_StayAsTheyWere()
    {
        const string lite = "// this is a simple query engine. It has handles basic selectors, and for simple\n"
            + "var selectors = query.match(unionSplit);\nfor(var i = 0; i < selectors.length; i++){ selectors[i] = x; }\n";
        const string prototype = "Expr = Sizzle.selectors = {\n\tcacheLength: 50,\n};\n";
        var policy = Policies.Default;

        var first = policy.Redact(Script("http://rss.test/lib/dojo/selector/lite.js", lite, "s1"));
        var second = policy.Redact(Script("http://rss.test/lib/prototype.js", prototype, "s2"));

        Assert.Equal(lite, first.Response!.Body!.Text);
        Assert.Equal(prototype, second.Response!.Body!.Text);
    }

    private static Exchange Script(string url, string body, string id)
    {
        var exchange = Testing.Exchanges.Get(url, "{}", id: id);
        return exchange with { Response = exchange.Response! with { Body = ExchangeBody.FromText(body, "application/javascript") } };
    }
}
