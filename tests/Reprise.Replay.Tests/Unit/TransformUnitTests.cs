using Reprise.Replay.Correlation;
using Reprise.Replay.Variation;
using Xunit;

namespace Reprise.Replay.Tests.Unit;

public sealed class TransformUnitTests
{
    [Fact]
    public void CopyVarier_IsDeterministic_DistinctPerCopy_AndKeepsCopyZero()
    {
        const string body = """{"email":"ann@example.com","username":"ann","id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","note":"hi"}""";
        Assert.Same(body, CopyVarier.Vary(body, 0, null));
        var copies = Enumerable.Range(1, 20).Select(c => CopyVarier.Vary(body, c, null)).ToList();
        Assert.Equal(20, copies.Distinct().Count());
        Assert.Equal(copies[4], CopyVarier.Vary(body, 5, null));
        Assert.All(copies, c => Assert.Contains("\"note\":\"hi\"", c, StringComparison.Ordinal));
        Assert.All(copies, c => Assert.Matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", c));
    }

    [Fact]
    public void CopyVarier_InUrls_PercentEncodesThePlus() =>
        Assert.Equal("/users?email=ann%2Br2@example.com", CopyVarier.Vary("/users?email=ann@example.com", 2, null, inUrl: true));

    [Fact]
    public void CopyVarier_LeavesValuesTheTargetIssued()
    {
        const string issued = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
        var text = $"/orders/{issued}";
        Assert.Equal(text, CopyVarier.Vary(text, 3, new HashSet<string> { issued }));
    }

    [Theory]
    [InlineData("{\"id\":42,\"n\":1429}", "42", "7", "{\"id\":7,\"n\":1429}", 1)]
    [InlineData("a-42 42 x42", "42", "7", "a-42 7 x42", 1)]
    [InlineData("tok=abc;tok2=abcd", "abc", "Z", "tok=Z;tok2=abcd", 1)]
    public void BoundedReplace_ReplacesWholeTokensOnly(string text, string old, string now, string expected, int count)
    {
        Assert.Equal(expected, BoundedReplace.Replace(text, old, now, out var n));
        Assert.Equal(count, n);
    }

    [Fact]
    public void RulesFile_ParsesRules_AndNamesTheLineOfEachError()
    {
        var rules = CorrelationRulesFile.Parse("""
            rules:
              - name: csrf
                from: /login
                extract: { header: X-CSRF-Token }
                substitute: { header: X-CSRF-Token }
              - name: cart
                extract: { json: $.cart.id }
            """, "rules.yaml");
        Assert.Equal(2, rules.Count);
        Assert.Equal("X-CSRF-Token", rules[0].SubstituteHeader);
        Assert.Equal("$.cart.id", rules[1].ExtractJson);

        var ex = Assert.Throws<FormatException>(() => CorrelationRulesFile.Parse("""
            rules:
              - name: a
                extract: { json: "cart.id" }
              - name: b
                extract: { regex: "([" }
                colour: red
            """, "bad.yaml"));
        var lines = ex.Message.Split(Environment.NewLine);
        Assert.Contains(lines, l => l.StartsWith("bad.yaml:2:", StringComparison.Ordinal) && l.Contains("extract.json", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("bad.yaml:4:", StringComparison.Ordinal) && l.Contains("invalid regex", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("bad.yaml:6:", StringComparison.Ordinal) && l.Contains("colour", StringComparison.Ordinal));
    }

    /// <summary>A YAML syntax error is FILE:LINE: invalid YAML: ..., as in every rules file (it was FILE:LINE: invalid YAML (YamlDotNet's message with its own position)).</summary>
    [Fact]
    public void RulesFile_BadYaml_NamesFileAndLine_LikeEveryRulesFile()
    {
        var ex = Assert.Throws<FormatException>(() => CorrelationRulesFile.Parse("rules:\n  - name: a\n    extract: { json: [unclosed\n", "bad.yaml"));
        Assert.Matches(@"^bad\.yaml:[34]: invalid YAML: [^(]", ex.Message);
        Assert.DoesNotContain("Line:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2/8", 2, 8)]
    [InlineData("1/1", 1, 1)]
    public void ShardSpec_Parses(string text, int index, int count) =>
        Assert.Equal(new ShardSpec(index, count), ShardSpec.TryParse(text, out _));

    [Theory]
    [InlineData("0/8")]
    [InlineData("9/8")]
    [InlineData("2-8")]
    public void ShardSpec_RejectsBadText(string text)
    {
        Assert.Null(ShardSpec.TryParse(text, out var error));
        Assert.Contains(text, error, StringComparison.Ordinal);
    }
}
