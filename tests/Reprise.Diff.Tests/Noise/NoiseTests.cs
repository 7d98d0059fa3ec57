using Reprise.Diff.Model;
using Reprise.Diff.Noise;

namespace Reprise.Diff.Tests.Noise;

public sealed class NoiseTests
{
    [Theory]
    [InlineData("3f2b8c1e-9a4d-4c7b-8e21-0d9f6a5b4c3e", "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", "UUID")]
    [InlineData("2026-11-26T04:00:00Z", "2026-11-26T04:00:01.123+00:00", "timestamp")]
    [InlineData("Thu, 26 Nov 2026 04:00:00 GMT", "Thu, 26 Nov 2026 04:00:09 GMT", "timestamp")]
    [InlineData("1764129600", "1764129601", "epoch timestamp")]
    [InlineData("1764129600123", "1764129601999", "epoch timestamp")] // milliseconds
    [InlineData("1795726595.585", "1795726604.995", "epoch timestamp")] // seconds with a fraction (Prometheus, Python's time.time(), Slack)
    [InlineData("1795726595.5", "1795726604.123456789", "epoch timestamp")]
    [InlineData("10062081578502312644", "5861470977615326697", "64-bit id")] // etcd cluster ids of two instances
    [InlineData("1541815603606036480", "1541815603606036999", "64-bit id")] // Snowflake ids
    [InlineData("978307200", "1764129601", null)] // nine digits: not read as one
    [InlineData("9f86d081884c7d659a2feaa0c55ad015", "2c26b46b68ffc68ff99b453c1d304134", "UUID")] // 32 hex digits: a UUID without dashes
    [InlineData("da39a3ee5e6b4b0d3255bfef95601890afd80709", "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", "random token")]
    [InlineData("PiVnOtjTR1uczJJ7Xy5KBSHn8RwAWFfF", "8AqIPpJdJ1vUjpjxLOTp3RERDDWeRYAa", "random token")]
    public void VolatileFormats_SameFormatIsNoise(string a, string b, string? format) =>
        Assert.Equal(format, VolatileFormats.Shared(a, b));

    [Theory]
    [InlineData("Widget", "Gadget")]
    [InlineData("10.5", "11.5")]
    [InlineData("3f2b8c1e-9a4d-4c7b-8e21-0d9f6a5b4c3e", "null")]
    [InlineData("2026-11-26T04:00:00Z", "3f2b8c1e-9a4d-4c7b-8e21-0d9f6a5b4c3e")]
    [InlineData("user0@example.test", "user1@example.test")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015", "9f86d081884c")]
    [InlineData("2125550123", "2125550199")] // phone numbers (New York), not times in 2037
    [InlineData("4155550123", "6505550123")]
    [InlineData("2125550123000", "2125550199000")]
    [InlineData("1795726595.585", "30.26")] // a timestamp becoming a number
    [InlineData("12345678901234567", "12345678901234568")] // 17 digits: a big number, not an id
    [InlineData("10062081578502312644", "42")]
    public void VolatileFormats_RealChangesAreNot(string a, string b) =>
        Assert.Null(VolatileFormats.Shared(a, b));

    [Theory]
    [InlineData("body:$.meta", "body:$.meta.build", true)]
    [InlineData("body:$.meta", "body:$.metadata", false)]
    [InlineData("body:$.items[*].updatedAt", "body:$.items[12].updatedAt", true)]
    [InlineData("body:$.*.id", "body:$.a.b.id", false)]
    [InlineData("body:$.**.id", "body:$.a.b.id", true)]
    [InlineData("header:X-*", "header:x-trace", true)]
    [InlineData("status", "status", true)]
    public void LocationGlob_Matches(string pattern, string location, bool expected) =>
        Assert.Equal(expected, LocationGlob.Parse(pattern).IsMatch(location));

    [Fact]
    public void LocationGlob_RejectsUnscopedPatterns() =>
        Assert.Contains("must start with body:", Assert.Throws<FormatException>(() => LocationGlob.Parse("$.a")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("GET /orders/*", "GET /orders/{id}", true)]
    [InlineData("/orders/**", "DELETE /orders/{id}/items/{id}", true)]
    [InlineData("GET /orders/*", "GET /orders/{id}/items", false)]
    [InlineData("POST /graphql", "POST /graphql (GetUser)", true)]
    public void EndpointGlob_Matches(string pattern, string endpoint, bool expected) =>
        Assert.Equal(expected, EndpointGlob.Parse(pattern).IsMatch(endpoint));

    [Fact]
    public void NoiseModel_LearnedFieldsGeneraliseIndexesAndCount()
    {
        var model = new NoiseModel([.. DiffRules.Defaults()]);
        model.Learn("GET /x", "body:$.items[3].at", NoiseModel.IdenticalRequests);

        Assert.True(model.IsNoise("GET /x", new Difference("body:$.items[7].at", DifferenceKind.Changed, "1", "2")));
        Assert.False(model.IsNoise("GET /y", new Difference("body:$.items[7].at", DifferenceKind.Changed, "1", "2")));
        Assert.True(model.IsNoise("GET /y", new Difference("header:date", DifferenceKind.Changed, "a", "b")));
        var entries = model.Entries();
        Assert.Contains(entries, e => e.Location == "body:$.items[*].at" && e.Count == 1 && e.Reason.Contains("identical requests", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Location == "header:date" && e.Source == "default");
    }

    [Fact]
    public void RulesLoader_ParsesRulesAndKeys()
    {
        var (rules, errors) = DiffRulesLoader.Parse("""
            ignoreArrayOrder: true
            ignore:
              - path: "body:$.meta.**"
                endpoint: "GET /orders/*"
                reason: build metadata
            arrayKeys:
              - path: "$.orders[3].lines"
                key: sku
            """, "r.yaml");

        Assert.Empty(errors);
        Assert.True(rules.IgnoreArrayOrder);
        var rule = Assert.Single(rules.Ignore);
        Assert.True(rule.Covers("GET /orders/{id}", "body:$.meta.build.sha"));
        Assert.False(rule.Covers("GET /users/{id}", "body:$.meta.build.sha"));
        Assert.Equal("$.orders[*].lines", Assert.Single(rules.ArrayKeys).Path);
    }

    [Fact]
    public void RulesLoader_ReportsEveryErrorWithItsLine()
    {
        var (_, errors) = DiffRulesLoader.Parse("ignore:\n  - path: \"x\"\narrayKeys:\n  - path: items\n    key: id\nignoreArrayOrder: maybe\n", "r.yaml");

        Assert.Equal(
            ["r.yaml:2: ignore[0].path: 'x' must start with body:, header:, trailer:, status or error", "r.yaml:4: arrayKeys[0].path: 'items' must be a JSON path starting with $", "r.yaml:6: ignoreArrayOrder: expected true or false"],
            errors);
    }

    [Fact]
    public void RulesLoader_BadYaml_NamesTheLine()
    {
        var (_, errors) = DiffRulesLoader.Parse("ignore:\n  - path: [unclosed\n", "r.yaml");

        var error = Assert.Single(errors);
        Assert.StartsWith("r.yaml:3: invalid YAML: ", error, StringComparison.Ordinal); // FILE:LINE, like every rules file (the flow sequence is still open at the end)
        Assert.DoesNotContain("Line:", error, StringComparison.Ordinal); // not YamlDotNet's own position again
    }
}
