using System.Text.Json.Nodes;
using CsCheck;
using Reprise.Core.Json;
using Xunit;

namespace Reprise.Core.Tests.Json;

/// <summary>Matching concrete locations (as redaction walks a document); moved from Reprise.Redaction.Tests with the parser.</summary>
public sealed class JsonPathMatchingTests
{
    private static readonly string[] Names = ["id", "name", "email", "items", "user", "customer", "card", "ssn", "note", "a", "b"];

    [Fact]
    public void MatchesSelfOrAncestor_RandomDocumentsAndPaths_AgreesWithReferenceEvaluation()
    {
        Gen.Select(Gen.Int, Gen.Int).Sample((docSeed, pathSeed) =>
        {
            var document = RandomDocument(docSeed, maxDepth: 4);
            var (text, steps) = RandomPath(new Random(pathSeed));
            var expression = JsonPath.TryParse(text, out var error);
            Assert.True(expression is not null, $"'{text}' did not parse: {error}");

            var selected = Reference(document, steps).Select(p => Key(p)).ToHashSet();
            foreach (var (path, _) in Leaves(document, []))
            {
                var expected = Enumerable.Range(0, path.Count + 1).Any(n => selected.Contains(Key(path.Take(n))));
                Assert.True(expected == expression.MatchesSelfOrAncestor(path), $"{text} on {JsonPath.Format(path, path.Count)} in {document.ToJsonString()}: expected {expected}");
            }
        }, iter: 400);
    }

    [Theory]
    [InlineData("$.user.email", "$.user.email", true)]
    [InlineData("$.user.email", "$.user", false)]
    [InlineData("$..ssn", "$.a.b[3].ssn", true)]
    [InlineData("$..ssn", "$.ssn", true)]
    [InlineData("$.items[*].card", "$.items[7].card", true)]
    [InlineData("$.items[*].card", "$.items.card", false)]
    [InlineData("$['odd key'][0]", "$['odd key'][0]", true)]
    [InlineData("$..[1]", "$.a[1]", true)]
    [InlineData("$.*.id", "$.x.id", true)]
    [InlineData("$[ 'user' ][ 0 ]", "$.user[0]", true)] // blank space inside brackets
    [InlineData("$[\"a.b\"]", "$['a.b']", true)] // double quotes, a dot inside the name
    [InlineData("$['it\\'s']", "$['it's']", true)] // escaped quote
    [InlineData("$..*", "$.a", true)]
    [InlineData("$..['odd key']", "$.x[2]['odd key']", true)]
    [InlineData("$.ключ", "$['ключ']", true)] // non-ASCII shorthand (RFC 9535)
    public void Matches_Examples(string expression, string location, bool expected)
    {
        var path = JsonPath.TryParse(expression, out _)!;
        var concrete = Parse(location);
        Assert.Equal(expected, path.Matches(concrete, concrete.Count));
    }

    [Theory]
    [InlineData("user.email", "must start with '$'")]
    [InlineData("$.items[?(@.x)]", "unsupported selector")]
    [InlineData("$.items[-1]", "unsupported selector")]
    [InlineData("$.items[0:2]", "unsupported selector")]
    [InlineData("$.a[", "unclosed")]
    [InlineData("$.", "expected a member name")]
    [InlineData("$.a[0:2]", "at column 6")] // the column of the bad character
    [InlineData("  $.a b", "unexpected ' ' at column 6")] // columns count the leading blanks
    [InlineData("$.a.[0]", "unexpected '[' after '.' at column 5")]
    [InlineData("$['a]", "unclosed ' string at column 3")]
    [InlineData("$['\\u12']", "invalid \\u escape")]
    [InlineData("$[99999999999]", "index too large at column 3")]
    public void TryParse_OutsideSubset_ReturnsError(string expression, string message)
    {
        Assert.Null(JsonPath.TryParse(expression, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_ThenParse_SelectsTheSameLocation()
    {
        Gen.Int.Sample(seed =>
        {
            var document = RandomDocument(seed, 4);
            foreach (var (path, _) in Leaves(document, []))
            {
                var text = JsonPath.Format(path, path.Count);
                var parsed = JsonPath.TryParse(text, out var error);
                Assert.True(parsed is not null, error);
                Assert.True(parsed.Matches(path, path.Count), text);
            }
        }, iter: 200);
    }

    private static (string Text, List<(bool Descendant, string? Name, int Index)> Steps) RandomPath(Random random)
    {
        var steps = new List<(bool, string?, int)>();
        var text = "$";
        var count = random.Next(0, 4);
        for (var i = 0; i < count; i++)
        {
            var descendant = random.Next(4) == 0;
            switch (random.Next(4))
            {
                case 0:
                    steps.Add((descendant, null, -1));
                    text += descendant ? (random.Next(2) == 0 ? "..*" : "..[*]") : (random.Next(2) == 0 ? ".*" : "[*]");
                    break;
                case 1:
                    var index = random.Next(0, 3);
                    steps.Add((descendant, null, index));
                    text += (descendant ? ".." : string.Empty) + $"[{index}]";
                    break;
                default:
                    var name = Names[random.Next(Names.Length)];
                    steps.Add((descendant, name, -1));
                    text += descendant ? ".." + name : random.Next(2) == 0 ? "." + name : $"['{name}']";
                    break;
            }
        }

        return (text, steps);
    }

    /// <summary>RFC 9535 semantics, evaluated naively over the node tree.</summary>
    private static List<List<PathSegment>> Reference(JsonNode? root, List<(bool Descendant, string? Name, int Index)> steps)
    {
        var current = new List<(JsonNode? Node, List<PathSegment> Path)> { (root, []) };
        foreach (var step in steps)
        {
            var next = new List<(JsonNode?, List<PathSegment>)>();
            foreach (var (node, path) in current)
            {
                var candidates = step.Descendant ? Descendants(node, path) : Children(node, path);
                foreach (var (child, childPath) in candidates)
                {
                    var last = childPath[^1];
                    var accepted = step.Name is null && step.Index < 0
                        || (step.Name is not null && last.Name == step.Name)
                        || (step.Name is null && step.Index >= 0 && last.Name is null && last.Index == step.Index);
                    if (accepted)
                    {
                        next.Add((child, childPath));
                    }
                }
            }

            current = next;
        }

        return [.. current.Select(c => c.Path)];
    }

    private static IEnumerable<(JsonNode?, List<PathSegment>)> Children(JsonNode? node, List<PathSegment> path)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                yield return (value, [.. path, PathSegment.Member(key)]);
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                yield return (array[i], [.. path, PathSegment.Element(i)]);
            }
        }
    }

    private static IEnumerable<(JsonNode?, List<PathSegment>)> Descendants(JsonNode? node, List<PathSegment> path)
    {
        foreach (var (child, childPath) in Children(node, path))
        {
            yield return (child, childPath);
            foreach (var deeper in Descendants(child, childPath))
            {
                yield return deeper;
            }
        }
    }

    private static IEnumerable<(List<PathSegment>, JsonNode?)> Leaves(JsonNode? node, List<PathSegment> path)
    {
        if (node is JsonObject or JsonArray)
        {
            foreach (var (child, childPath) in Children(node, path))
            {
                foreach (var leaf in Leaves(child, childPath))
                {
                    yield return leaf;
                }
            }
        }
        else
        {
            yield return (path, node);
        }
    }

    private static string Key(IEnumerable<PathSegment> path) => string.Join("/", path.Select(s => s.Name is null ? "#" + s.Index : "." + s.Name));

    private static List<PathSegment> Parse(string location)
    {
        var result = new List<PathSegment>();
        var i = 1;
        while (i < location.Length)
        {
            if (location[i] == '.')
            {
                var start = ++i;
                while (i < location.Length && location[i] is not ('.' or '['))
                {
                    i++;
                }

                result.Add(PathSegment.Member(location[start..i]));
            }
            else
            {
                var close = location.IndexOf(']', i);
                var inner = location[(i + 1)..close];
                result.Add(inner.StartsWith('\'') ? PathSegment.Member(inner.Trim('\'')) : PathSegment.Element(int.Parse(inner, System.Globalization.CultureInfo.InvariantCulture)));
                i = close + 1;
            }
        }

        return result;
    }

    /// <summary>Random JSON documents from a seed: nested objects and arrays over a small key set.</summary>
    private static JsonNode RandomDocument(int seed, int maxDepth)
    {
        var random = new Random(seed);
        return RandomNode(random, maxDepth) ?? new JsonObject();
    }

    private static JsonNode? RandomNode(Random random, int depth)
    {
        switch (depth <= 0 ? random.Next(4) : random.Next(7))
        {
            case 0: return JsonValue.Create(random.Next(-1000, 100000));
            case 1: return JsonValue.Create(random.Next(2) == 0);
            case 2: return null;
            case 3: return JsonValue.Create("v" + random.Next(100));
            case 4 or 5:
                var obj = new JsonObject();
                var count = random.Next(0, 5);
                for (var i = 0; i < count; i++)
                {
                    var key = random.Next(8) == 0 ? "odd key" : Names[random.Next(Names.Length)];
                    if (!obj.ContainsKey(key))
                    {
                        obj[key] = RandomNode(random, depth - 1);
                    }
                }

                return obj;
            default:
                var array = new JsonArray();
                var length = random.Next(0, 4);
                for (var i = 0; i < length; i++)
                {
                    array.Add(RandomNode(random, depth - 1));
                }

                return array;
        }
    }
}
