using System.Text.Json.Nodes;
using CsCheck;
using Reprise.Redaction.JsonPath;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.JsonPath;

public sealed class JsonPathPropertyTests
{
    private static readonly string[] Names = ["id", "name", "email", "items", "user", "customer", "card", "ssn", "note", "a", "b"];

    [Fact]
    public void MatchesSelfOrAncestor_RandomDocumentsAndPaths_AgreesWithReferenceEvaluation()
    {
        Gen.Select(Gen.Int, Gen.Int).Sample((docSeed, pathSeed) =>
        {
            var document = RandomJson.Build(docSeed, maxDepth: 4, withSecrets: false);
            var (text, steps) = RandomPath(new Random(pathSeed));
            var expression = JsonPathExpression.TryParse(text, out var error);
            Assert.True(expression is not null, $"'{text}' did not parse: {error}");

            var selected = Reference(document, steps).Select(p => Key(p)).ToHashSet();
            foreach (var (path, _) in Leaves(document, []))
            {
                var expected = Enumerable.Range(0, path.Count + 1).Any(n => selected.Contains(Key(path.Take(n))));
                Assert.True(expected == expression.MatchesSelfOrAncestor(path), $"{text} on {JsonPathExpression.Format(path, path.Count)} in {document.ToJsonString()}: expected {expected}");
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
    public void Matches_Examples(string expression, string location, bool expected)
    {
        var path = JsonPathExpression.TryParse(expression, out _)!;
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
    public void TryParse_OutsideSubset_ReturnsError(string expression, string message)
    {
        Assert.Null(JsonPathExpression.TryParse(expression, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_ThenParse_SelectsTheSameLocation()
    {
        Gen.Int.Sample(seed =>
        {
            var document = RandomJson.Build(seed, 4, withSecrets: false);
            foreach (var (path, _) in Leaves(document, []))
            {
                var text = JsonPathExpression.Format(path, path.Count);
                var parsed = JsonPathExpression.TryParse(text, out var error);
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
}
