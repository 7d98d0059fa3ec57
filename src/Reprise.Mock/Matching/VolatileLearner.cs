using System.Text;
using Reprise.Core.Model;

namespace Reprise.Mock.Matching;

/// <summary>
/// Learns volatile leaves from a recording: within one method+host group, a leaf is volatile when
/// two recorded requests are identical except for that leaf's value. Path segments are never
/// learned (ids in paths select resources, they are not noise), nor is a GraphQL document: it is the
/// operation, as the path is for REST (two recorded anonymous queries made every unrecorded query match).
/// A query parameter is learned only when the two requests got the same answer (status and body): a parameter whose
/// values got different answers selected them (a page cursor, a search term, a filter), like a path segment, so an
/// unrecorded value of it is a miss, not another page served as a volatile match. A cache-buster is still learned.
/// </summary>
internal static class VolatileLearner
{
    private const int MaxLeavesPerRequest = 64;

    public static HashSet<string> Learn(IReadOnlyList<MockEntry> group)
    {
        var learned = new HashSet<string>(StringComparer.Ordinal);
        if (group.Count < 2)
        {
            return learned;
        }

        var seen = new Dictionary<(string Name, string Others), (string Value, MockEntry Entry)>();
        var builder = new StringBuilder();
        foreach (var entry in group)
        {
            var shape = entry.Shape;
            var leaves = shape.Leaves;
            if (leaves.Length > MaxLeavesPerRequest)
            {
                continue;
            }

            for (var skip = 0; skip < leaves.Length; skip++)
            {
                var name = leaves[skip].Key;
                if (name.StartsWith("path[", StringComparison.Ordinal) || IsOperation(name, leaves[skip].Value) || learned.Contains(name))
                {
                    continue;
                }

                builder.Clear().Append(shape.SoapAction).Append('\n');
                for (var i = 0; i < leaves.Length; i++)
                {
                    if (i != skip)
                    {
                        builder.Append(leaves[i].Key).Append('=').Append(leaves[i].Value).Append('\n');
                    }
                }

                var key = (name, builder.ToString());
                if (seen.TryGetValue(key, out var first))
                {
                    if (!string.Equals(first.Value, leaves[skip].Value, StringComparison.Ordinal)
                        && (!name.StartsWith("query.", StringComparison.Ordinal) || SameAnswer(first.Entry.Exchange, entry.Exchange)))
                    {
                        learned.Add(name);
                    }
                }
                else
                {
                    seen[key] = (leaves[skip].Value, entry);
                }
            }
        }

        return learned;
    }

    private static bool SameAnswer(Exchange a, Exchange b) =>
        a.Response is { } x && b.Response is { } y && x.Status == y.Status
        && (x.Body?.Content ?? default).Span.SequenceEqual((y.Body?.Content ?? default).Span);

    /// <summary>
    /// A GraphQL document: <c>body.$.query</c>, a batch's <c>body.$[0].query</c>, or a GET's <c>?query=</c> holding
    /// a document (<c>{ a }</c>, <c>query Q { a }</c>; not a search term).
    /// </summary>
    internal static bool IsOperation(string name, string value) =>
        name is "body.$.query"
        || (name.StartsWith("body.$[", StringComparison.Ordinal) && name.EndsWith("].query", StringComparison.Ordinal) && name.IndexOf('.', 7) == name.Length - 6)
        || (name == "query.query" && value.TrimStart() is var text
            && (text.StartsWith('{') || text.StartsWith("query", StringComparison.Ordinal) || text.StartsWith("mutation", StringComparison.Ordinal)
                || text.StartsWith("subscription", StringComparison.Ordinal)));
}
