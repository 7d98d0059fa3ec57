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
            Assert.Equal(steps, path!.Steps);
            Assert.Equal(steps, JsonPath.TryParse(path.ToString(), out _)!.Steps);
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
    public void TryParse_RejectsOutsideTheSubset(string text)
    {
        Assert.Null(JsonPath.TryParse(text, out var error));
        Assert.NotNull(error);
    }

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
