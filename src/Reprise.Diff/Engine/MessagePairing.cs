using System.Collections.Immutable;
using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Diff.Noise;

namespace Reprise.Diff.Engine;

/// <summary>
/// Pairs the server messages of one WebSocket turn by a correlation key, so a server that multiplexes (JSON-RPC answering
/// several pending calls, SignalR completions, GraphQL-over-WebSocket <c>next</c> messages of several subscriptions,
/// Cockpit's channels) and answers in another order on replay is not reported on every reordered message. The key is a
/// top-level member of JSON messages (SignalR records too): the first of <see cref="CorrelationMembers"/> that the turn's
/// messages carry with a value both sides share, else a member found by content (on every message of the turn on both
/// sides, its values distinct within each side and one side's values all found on the other). A text message whose first
/// line is a short token (Cockpit's <c>4\n{…}</c>) carries that token as its <c>channel</c>. Messages with the same key are
/// paired in order (a channel keeps its own order), a key on one side only is a missing or added message (more messages
/// of a key both sides have are a count difference, each side's extras compared with the other's by position), and messages without the key are paired by position as before. Turns without such a key are paired by position alone.
/// </summary>
internal static class MessagePairing
{
    /// <summary>Members that name what a message answers or belongs to, in order of preference (docs/diff.md).</summary>
    public static readonly ImmutableArray<string> CorrelationMembers =
        ["id", "invocationId", "requestId", "request_id", "correlationId", "correlation_id", "subscriptionId", "subscription_id", "channel", "streamId", "stream_id", "ref"];

    private const int MaxKeyLength = 200;
    private const int MaxParsedLength = 1 << 20;
    private const int MaxPrefixLength = 64;

    /// <summary>How a turn's messages pair up (indexes into the sides' message arrays).</summary>
    /// <param name="Member">The correlation member.</param>
    /// <param name="Pairs">Keyed pairs, then the extra messages of keys both sides have, paired with each other by position.</param>
    /// <param name="Missing">Recorded messages whose key the replay did not answer, with the key.</param>
    /// <param name="Added">Replayed messages whose key the recording did not have, with the key.</param>
    /// <param name="LeftRest">Recorded messages without the key (paired by position with <paramref name="RightRest"/>).</param>
    /// <param name="RightRest">Replayed messages without the key.</param>
    /// <param name="CountDiffers">One side has more messages without the key, or more of a key both sides have.</param>
    public sealed record Plan(string Member, List<(int Left, int Right)> Pairs, List<(int Index, string Key)> Missing, List<(int Index, string Key)> Added, List<int> LeftRest, List<int> RightRest, bool CountDiffers);

    /// <summary>
    /// The keyed pairing of the turn <c>left[leftStart..leftEnd)</c> against <c>right[rightStart..rightEnd)</c>, or null when
    /// the turn has no correlation key (or at most one message a side: nothing to reorder). <paramref name="rewriter"/> holds
    /// the rewriter of the <paramref name="correlated"/> ids once a turn has built it: the caller keeps it for the
    /// conversation's other turns (its ids are the same).
    /// </summary>
    public static Plan? Pair(ImmutableArray<WebSocketMessage> left, int leftStart, int leftEnd, ImmutableArray<WebSocketMessage> right, int rightStart, int rightEnd, IReadOnlyList<(string Recorded, string Replayed)> correlated, ref CorrelatedIdRewriter? rewriter)
    {
        if (leftEnd - leftStart < 2 && rightEnd - rightStart < 2)
        {
            return null;
        }

        var leftMembers = Members(left, leftStart, leftEnd);
        var rightMembers = Members(right, rightStart, rightEnd);
        var ids = correlated.Count > 0 ? rewriter ??= new CorrelatedIdRewriter(correlated) : null;
        var member = Named(leftMembers, rightMembers, ids) ?? ByContent(leftMembers, rightMembers, ids);
        return member is null ? null : Build(member, leftMembers, leftStart, rightMembers, rightStart, ids);
    }

    /// <summary>The first listed member that both sides carry with at least one value in common.</summary>
    private static string? Named(List<Dictionary<string, string>?> left, List<Dictionary<string, string>?> right, CorrelatedIdRewriter? rewriter)
    {
        foreach (var name in CorrelationMembers)
        {
            var values = Values(right, name);
            if (values.Count > 0 && Shares(left, name, values, rewriter))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>
    /// A member on every message of the turn on both sides, its values distinct within each side, the smaller side's all
    /// found on the other and at least two in common; the first such in the first recorded message's member order.
    /// </summary>
    private static string? ByContent(List<Dictionary<string, string>?> left, List<Dictionary<string, string>?> right, CorrelatedIdRewriter? rewriter)
    {
        if (left.Count == 0 || right.Count == 0 || left.Contains(null) || right.Contains(null))
        {
            return null;
        }

        foreach (var name in left[0]!.Keys)
        {
            if (Distinct(left, name, rewriter) is not { } leftValues || Distinct(right, name, null) is not { } rightValues)
            {
                continue;
            }

            var common = 0;
            foreach (var value in leftValues)
            {
                common += rightValues.Contains(value) ? 1 : 0;
            }

            if (common >= 2 && common == Math.Min(leftValues.Count, rightValues.Count))
            {
                return name;
            }
        }

        return null;
    }

    private static Plan Build(string member, List<Dictionary<string, string>?> left, int leftStart, List<Dictionary<string, string>?> right, int rightStart, CorrelatedIdRewriter? rewriter)
    {
        var waiting = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
        var rightRest = new List<int>();
        for (var j = 0; j < right.Count; j++)
        {
            if (right[j]?.GetValueOrDefault(member) is { } key)
            {
                if (!waiting.TryGetValue(key, out var queue))
                {
                    waiting[key] = queue = new Queue<int>();
                }

                queue.Enqueue(rightStart + j);
            }
            else
            {
                rightRest.Add(rightStart + j);
            }
        }

        // Exact keys first; then a recorded key replay correlated (127 answered as 145), unless its new value is a key the
        // recording has too: replay pairs server messages by position to learn ids, so a reordered or lost answer can
        // teach it 1=2, which must not pair call 1's answer with call 2's.
        var pairs = new List<(int Left, int Right)>();
        var unmatched = new List<(int Index, string Key)>();
        var leftRest = new List<int>();
        var recordedKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < left.Count; i++)
        {
            if (left[i]?.GetValueOrDefault(member) is not { } key)
            {
                leftRest.Add(leftStart + i);
                continue;
            }

            recordedKeys.Add(key);
            if (waiting.TryGetValue(key, out var queue) && queue.Count > 0)
            {
                pairs.Add((leftStart + i, queue.Dequeue()));
            }
            else
            {
                unmatched.Add((leftStart + i, key));
            }
        }

        // A key both sides have, answered more often on one (a channel's extra status message), is a count difference
        // like an extra unkeyed message; a key on one side only is a missing or added message. Extras on both sides are
        // paired with each other by position and compared: a message lost from one key and one gained by another leave
        // the counts equal and must not go unseen.
        var missing = new List<(int, string)>();
        var extraLeft = new List<int>();
        var extraRight = new List<int>();
        var renamedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, key) in unmatched)
        {
            var renamed = Rewritten(key, rewriter) is { } r && !recordedKeys.Contains(r) ? r : null;
            if (renamed is not null && waiting.TryGetValue(renamed, out var queue) && queue.Count > 0)
            {
                pairs.Add((index, queue.Dequeue()));
            }
            else if (waiting.ContainsKey(key) || (renamed is not null && waiting.ContainsKey(renamed)))
            {
                extraLeft.Add(index);
            }
            else
            {
                missing.Add((index, key));
            }
        }

        foreach (var key in recordedKeys)
        {
            if (Rewritten(key, rewriter) is { } renamed && !recordedKeys.Contains(renamed))
            {
                renamedKeys.Add(renamed);
            }
        }

        var added = new List<(int Index, string Key)>();
        foreach (var (key, queue) in waiting)
        {
            foreach (var index in queue)
            {
                if (recordedKeys.Contains(key) || renamedKeys.Contains(key))
                {
                    extraRight.Add(index);
                }
                else
                {
                    added.Add((index, key));
                }
            }
        }

        added.Sort((a, b) => a.Index.CompareTo(b.Index));
        extraLeft.Sort();
        extraRight.Sort();
        for (var k = 0; k < extraLeft.Count && k < extraRight.Count; k++)
        {
            pairs.Add((extraLeft[k], extraRight[k]));
        }

        // A key the new build issues itself (a UUID, a random token) cannot match: such leftovers on both sides are paired
        // by position with the rest, where the value's format makes their keys noise.
        while (missing.Count > 0 && added.Count > 0 && VolatileFormats.Shared(missing[0].Item2, added[0].Key) is not null)
        {
            leftRest.Add(missing[0].Item1);
            rightRest.Add(added[0].Index);
            missing.RemoveAt(0);
            added.RemoveAt(0);
        }

        leftRest.Sort();
        rightRest.Sort();
        return new Plan(member, pairs, missing, added, leftRest, rightRest, extraLeft.Count != extraRight.Count || leftRest.Count != rightRest.Count);
    }

    private static string? Rewritten(string key, CorrelatedIdRewriter? rewriter) =>
        rewriter?.Rewrite(key) is { } renamed && !string.Equals(renamed, key, StringComparison.Ordinal) ? renamed : null;

    private static HashSet<string> Values(List<Dictionary<string, string>?> side, string name)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var members in side)
        {
            if (members?.GetValueOrDefault(name) is { } value)
            {
                values.Add(value);
            }
        }

        return values;
    }

    private static bool Shares(List<Dictionary<string, string>?> left, string name, HashSet<string> values, CorrelatedIdRewriter? rewriter)
    {
        foreach (var members in left)
        {
            if (members?.GetValueOrDefault(name) is { } value && (values.Contains(value) || (Rewritten(value, rewriter) is { } renamed && values.Contains(renamed))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The member's values (recorded ones through the correlated ids) when every message has it and no two share one; else null.</summary>
    private static HashSet<string>? Distinct(List<Dictionary<string, string>?> side, string name, CorrelatedIdRewriter? rewriter)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var members in side)
        {
            if (members!.GetValueOrDefault(name) is not { } value || !values.Add(Rewritten(value, rewriter) ?? value))
            {
                return null;
            }
        }

        return values;
    }

    /// <summary>Each message's top-level scalar members (null when it has none: not JSON, an array, binary).</summary>
    private static List<Dictionary<string, string>?> Members(ImmutableArray<WebSocketMessage> messages, int start, int end)
    {
        var list = new List<Dictionary<string, string>?>(end - start);
        for (var i = start; i < end; i++)
        {
            list.Add(Members(messages[i]));
        }

        return list;
    }

    /// <summary>
    /// A text message's top-level members whose values are strings or numbers (a SignalR record's separator ignored), and a
    /// first line that is a short token before a newline as its <c>channel</c> (Cockpit's frames <c>4\n{…}</c>).
    /// </summary>
    internal static Dictionary<string, string>? Members(WebSocketMessage message)
    {
        if (message.Kind != WebSocketMessageKind.Text || message.Payload is not { Truncated: false } payload || payload.Content.Length > MaxParsedLength)
        {
            return null;
        }

        var span = payload.Content.Span.Trim(" \t\r\n\u001e"u8);
        string? channel = null;
        if (!span.IsEmpty && span[0] != (byte)'{' && span.IndexOf((byte)'\n') is var newline and >= 0 and <= MaxPrefixLength && IsToken(span[..newline]))
        {
            channel = newline == 0 ? null : System.Text.Encoding.ASCII.GetString(span[..newline]);
            span = span[(newline + 1)..].TrimStart(" \t\r\n"u8);
        }

        var members = span.IsEmpty || span[0] != (byte)'{' ? null : JsonMembers(span);
        if (channel is not null)
        {
            members ??= new Dictionary<string, string>(1, StringComparer.Ordinal);
            members["channel"] = channel;
        }

        return members;
    }

    /// <summary>Printable ASCII without spaces or JSON punctuation (an empty line is a channel of its own: Cockpit's control channel).</summary>
    private static bool IsToken(ReadOnlySpan<byte> prefix)
    {
        foreach (var b in prefix)
        {
            if (b is <= 0x20 or >= 0x7F or (byte)'{' or (byte)'[' or (byte)'"' or (byte)',')
            {
                return false;
            }
        }

        return true;
    }

    private static Dictionary<string, string>? JsonMembers(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var members = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = Core.Json.LoneSurrogates.GetStringOrNull(ref reader);
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        if (name is not null && Core.Json.LoneSurrogates.GetStringOrNull(ref reader) is { Length: > 0 and <= MaxKeyLength } text)
                        {
                            members.TryAdd(name, text);
                        }

                        break;
                    case JsonTokenType.Number when name is not null:
                        members.TryAdd(name, System.Text.Encoding.UTF8.GetString(reader.ValueSpan));
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        reader.Skip();
                        break;
                }
            }

            return members;
        }
        catch (JsonException)
        {
            return null; // not JSON after all: compared by position
        }
    }

}
