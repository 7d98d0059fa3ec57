using System.Text.Json.Nodes;
using CsCheck;
using Reprise.Core.Json;
using Xunit;

namespace Reprise.Core.Tests.Json;

public sealed class JsonPathTests
{
    private static readonly Gen<object> Step = Gen.OneOf(
        Gen.String[Gen.Char["abcXYZ_-09 .'[]"], 1, 8].Select(s => (object)s),
        Gen.Int[0, 5].Select(i => (object)i));

    [Fact]
    public void FormatThenParse_RoundTrips() =>
        Step.Array[0, 6].Where(steps => steps.All(s => s is int || !((string)s).Contains('\'', StringComparison.Ordinal))).Sample(steps =>
        {
            var text = Format(steps);
            var path = JsonPath.TryParse(text, out var error);
            Assert.Null(error);
            Assert.Equal(ToSteps(steps), path!.Steps);
            Assert.Equal(ToSteps(steps), JsonPath.TryParse(path.ToString(), out _)!.Steps);
        });

    [Fact]
    public void Get_FindsTheValueSetAtAnyBuiltPath() =>
        Step.Array[1, 5].Where(steps => steps.All(s => s is int || !((string)s).Contains('\'', StringComparison.Ordinal))).Sample(steps =>
        {
            // Build a document holding "leaf" exactly at the path.
            JsonNode node = JsonValue.Create("leaf");
            for (var i = steps.Length - 1; i >= 0; i--)
            {
                node = steps[i] is int index
                    ? new JsonArray([.. Enumerable.Range(0, index + 1).Select(j => j == index ? node : (JsonNode?)JsonValue.Create(j))])
                    : new JsonObject { [(string)steps[i]] = node };
            }

            var path = JsonPath.TryParse(Format(steps), out _)!;
            Assert.Equal("leaf", path.Get(node)!.GetValue<string>());
            Assert.True(path.Set(node, JsonValue.Create("new")));
            Assert.Equal("new", path.Get(node)!.GetValue<string>());
        });

    [Theory]
    [InlineData("$.data.items[0].id", "{\"data\":{\"items\":[{\"id\":7}]}}", "7")]
    [InlineData("$['a b']", "{\"a b\":\"x\"}", "\"x\"")]
    [InlineData("$.missing", "{\"a\":1}", null)]
    [InlineData("$[1]", "[1,2]", "2")]
    public void Get_Examples(string path, string json, string? expected) =>
        Assert.Equal(expected, JsonPath.TryParse(path, out _)!.Get(JsonNode.Parse(json))?.ToJsonString());

    [Theory]
    [InlineData("data.id")]
    [InlineData("$.a[*]")]
    [InlineData("$.a[?(@.x)]")]
    [InlineData("$.a[0")]
    [InlineData("$..a")]
    [InlineData("a.b")]
    [InlineData("$.")]
    [InlineData("$[x]")]
    [InlineData("$.a[")]
    public void TryParseSingular_RejectsOutsideTheSingularSubset(string text)
    {
        Assert.Null(JsonPath.TryParseSingular(text, out var error));
        Assert.NotNull(error);
        Assert.Contains("at column ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$.a[*]", "'*' selects many values", 5)]
    [InlineData("$..a", "'..' selects many values", 2)]
    [InlineData("$['x*']..b", "'..' selects many values", 8)] // a '*' inside a quoted name is a name
    public void TryParseSingular_NamesTheManyValuedSelector(string text, string message, int column)
    {
        Assert.NotNull(JsonPath.TryParse(text, out _));
        Assert.Null(JsonPath.TryParseSingular(text, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains($"at column {column};", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_OnAManyValuedPath_Throws() =>
        Assert.Throws<InvalidOperationException>(() => JsonPath.TryParse("$..id", out _)!.Get(JsonNode.Parse("{}")));

    [Theory]
    [InlineData("$['a\\\\b']", "a\\b")] // an escaped backslash (the correlation parser kept both)
    [InlineData("$['a\\b']", "a\b")] // \b is a backspace (RFC 9535; redaction's parser read it as 'b')
    [InlineData("$['it\\'s']", "it's")]
    [InlineData("$[\"tab\\there\"]", "tab\there")]
    [InlineData("$['\\u00e9']", "é")]
    [InlineData("$[ 0 ]", null)]
    public void TryParse_QuotedNamesUseRfc9535Escapes(string text, string? name)
    {
        var path = JsonPath.TryParse(text, out var error);
        Assert.True(path is not null, error);
        Assert.Equal(name, Assert.Single(path.Steps).Name);
    }

    private static readonly Gen<JsonPathStep> AnyStep = Gen.OneOf(
        Gen.Select(Gen.Bool, Gen.String[Gen.Char["ab_-$@é 'ʼ\"\\.[]*\n\u0001"], 1, 6], (d, n) => new JsonPathStep(d, n, -1, false)),
        Gen.Select(Gen.Bool, Gen.Int[0, 1000], (d, i) => new JsonPathStep(d, null, i, false)),
        Gen.Bool.Select(d => new JsonPathStep(d, null, -1, true)));

    [Fact]
    public void ToString_ThenParse_RoundTripsAnySteps() =>
        AnyStep.Array[0, 6].Sample(steps =>
        {
            var text = Canonical(steps);
            var parsed = JsonPath.TryParse(text, out var error);
            Assert.True(parsed is not null, $"{text}: {error}");
            Assert.Equal(steps, parsed.Steps);
            Assert.Equal(text, parsed.ToString());
        });

    /// <summary>The canonical text of steps, through the one formatter (a parsed path's ToString).</summary>
    private static string Canonical(JsonPathStep[] steps)
    {
        // Build the text naively with bracket notation, parse it, and let ToString canonicalise it.
        var naive = "$" + string.Concat(steps.Select(s =>
            (s.Descendant ? ".." : string.Empty) + (s.Wildcard ? "[*]" : s.Name is null ? $"[{s.Index}]" : "[\"" + s.Name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"]")));
        var parsed = JsonPath.TryParse(naive, out var error);
        Assert.True(parsed is not null, $"{naive}: {error}");
        Assert.Equal(steps, parsed.Steps);
        return parsed.ToString();
    }

    private static JsonPathStep[] ToSteps(object[] steps) =>
        [.. steps.Select(s => s is int i ? JsonPathStep.Element(i) : JsonPathStep.Member((string)s))];

    private static string Format(object[] steps) =>
        "$" + string.Concat(steps.Select(s => s is int i ? $"[{i}]" : $"['{s}']"));

    [Fact]
    public void SetThenGet_RoundTrips()
    {
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 8], Gen.Int[0, 3], Gen.Int[-1000, 1000]).Sample((name, index, value) =>
        {
            var root = JsonNode.Parse($$"""{"{{name}}":[0,1,2,3,{"v":0}]}""")!;
            var path = JsonPath.TryParse($"$.{name}[{index}]", out _)!;
            Assert.True(path.Set(root, value));
            Assert.Equal(value, path.Get(root)!.GetValue<int>());
            Assert.Equal(0, JsonPath.TryParse($"$['{name}'][4].v", out _)!.Get(root)!.GetValue<int>());
        });
    }
}
