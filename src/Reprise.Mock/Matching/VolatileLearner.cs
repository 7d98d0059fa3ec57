using System.Text;
using Reprise.Core.Model;

namespace Reprise.Mock.Matching;

/// <summary>
/// Learns volatile leaves from a recording: within one method+host group, a leaf is volatile when
/// recorded requests are identical except for that leaf's value. Path segments are never
/// learned (ids in paths select resources, they are not noise), nor is a GraphQL document: it is the
/// operation, as the path is for REST (two recorded anonymous queries made every unrecorded query match).
/// A query parameter is learned only when every request of a set differing only in it got the same answer (status
/// and body) and it held at least two values; a pair of its values that got different answers (a page cursor, a
/// search term, a filter: it selected them, like a path segment) vetoes it, so an unrecorded value of it is a miss, not
/// another answer served as a volatile match; a cache-buster is still learned. A whole body that is one leaf (text or
/// binary that is neither JSON, XML, a form nor multipart: git's pkt-line commands, a protobuf) is vetoed the same way:
/// two bodies that got different answers are two commands, not one command with noise. Names are learned per path
/// (<see cref="Scope"/>): a cache-buster on one endpoint says nothing about the same name on another.
/// </summary>
internal static class VolatileLearner
{
    private const int MaxLeavesPerRequest = 64;

    /// <summary>The learned names of the group, by path scope (<see cref="Scope"/>).</summary>
    public static Dictionary<string, HashSet<string>> Learn(IReadOnlyList<MockEntry> group)
    {
        var learned = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        if (group.Count < 2)
        {
            return learned;
        }

        // Every request of a set differing only in one leaf: the first value and answer, whether another value was
        // seen, and whether every answer equals the first.
        var seen = new Dictionary<(string Name, string Others), Seen>();
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
                if (name.StartsWith("path[", StringComparison.Ordinal) || IsOperation(name, leaves[skip].Value))
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
                if (!seen.TryGetValue(key, out var first))
                {
                    seen[key] = new Seen(leaves[skip].Value, entry, Scope(shape));
                    continue;
                }

                first.Values |= !string.Equals(first.Value, leaves[skip].Value, StringComparison.Ordinal);
                first.SameAnswers &= SameAnswer(first.Entry.Exchange, entry.Exchange);
            }
        }

        var vetoed = new HashSet<(string Scope, string Name)>();
        foreach (var ((name, _), set) in seen)
        {
            if (!set.Values)
            {
                continue;
            }

            if ((name.StartsWith("query.", StringComparison.Ordinal) || name == "body") && !set.SameAnswers)
            {
                vetoed.Add((set.Scope, name)); // two of its values got different answers: it selected them
                continue;
            }

            if (!learned.TryGetValue(set.Scope, out var names))
            {
                learned[set.Scope] = names = new HashSet<string>(StringComparer.Ordinal);
            }

            names.Add(name);
        }

        foreach (var (scope, name) in vetoed)
        {
            if (learned.TryGetValue(scope, out var names))
            {
                names.Remove(name);
            }
        }

        return learned;
    }

    /// <summary>
    /// The path a learned name applies to: the path segments, a UUID one standing for any (as in the match keys), so
    /// the calls of <c>/orders/{id}</c> share what was learned.
    /// </summary>
    public static string Scope(RequestShape shape)
    {
        var builder = t_scope ??= new StringBuilder(128);
        builder.Clear();
        foreach (var leaf in shape.Leaves)
        {
            if (leaf.Key.StartsWith("path[", StringComparison.Ordinal))
            {
                builder.Append(leaf.Key).Append('=').Append(VolatileFormats.IsUuid(leaf.Value) ? "\u0001" : leaf.Value).Append('\n');
            }
        }

        return builder.ToString();
    }

    [ThreadStatic]
    private static StringBuilder? t_scope;

    private sealed class Seen(string value, MockEntry entry, string scope)
    {
        public string Value { get; } = value;

        public MockEntry Entry { get; } = entry;

        public string Scope { get; } = scope;

        /// <summary>Another value was seen.</summary>
        public bool Values { get; set; }

        /// <summary>Every answer so far equals the first one.</summary>
        public bool SameAnswers { get; set; } = true;
    }

    /// <summary>
    /// The same status and body, where values of a per-call format on both sides (a server timestamp, a request id, a
    /// nonce: <see cref="VolatileFormats"/>) count as the same: a poll whose answers differ only by the time they were
    /// given answered the same, one whose state changed (pending, then done) did not.
    /// </summary>
    private static bool SameAnswer(Exchange a, Exchange b)
    {
        if (a.Response is not { } x || b.Response is not { } y || x.Status != y.Status)
        {
            return false;
        }

        var left = (x.Body?.Content ?? default).Span;
        var right = (y.Body?.Content ?? default).Span;
        if (left.SequenceEqual(right))
        {
            return true;
        }

        if (left.Length > 64 * 1024 || right.Length > 64 * 1024 || !System.Text.Unicode.Utf8.IsValid(left) || !System.Text.Unicode.Utf8.IsValid(right))
        {
            return false;
        }

        var (l, r) = (Words(System.Text.Encoding.UTF8.GetString(left)), Words(System.Text.Encoding.UTF8.GetString(right)));
        if (l.Length != r.Length)
        {
            return false;
        }

        for (var i = 0; i < l.Length; i++)
        {
            if (!string.Equals(l[i], r[i], StringComparison.Ordinal)
                && !(VolatileFormats.Default.IsVolatileValue(l[i]) && VolatileFormats.Default.IsVolatileValue(r[i])))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The body as words: quoted strings whole (a timestamp keeps its colons), the rest split at punctuation and blanks.</summary>
    private static string[] Words(string text)
    {
        var parts = text.Split('"');
        var words = new List<string>(parts.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i % 2 == 1)
            {
                words.Add(parts[i]);
            }
            else
            {
                words.AddRange(parts[i].Split([',', ':', '{', '}', '[', ']', ' ', '\n', '\r', '\t', '<', '>', '&', '='], StringSplitOptions.RemoveEmptyEntries));
            }
        }

        return [.. words];
    }

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
