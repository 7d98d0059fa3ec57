using Reprise.Core.Protocols;
using System.Collections.Immutable;
using Reprise.Core.Model;
using Reprise.Diff.Bodies;
using Reprise.Diff.Headers;
using Reprise.Diff.Model;

namespace Reprise.Diff.Engine;

/// <summary>
/// Compares one recorded response with one new response: transport error, status, headers, gRPC
/// trailers and the body through the first comparer that understands it (GraphQL and JSON, XML/SOAP,
/// form, gRPC, text, then bytes).
/// </summary>
public sealed class ExchangeComparer
{
    private readonly IDiffComparer[] _comparers;
    private readonly TextComparer _text = new();
    private readonly BinaryComparer _binary = new();

    public ExchangeComparer(IEnumerable<IDiffComparer>? comparers = null)
    {
        _comparers = comparers?.ToArray() ?? [new GrpcComparer(), new IppComparer(), new JsonComparer(), new XmlComparer(), new FormComparer(), new TextComparer(), new BinaryComparer()];
    }

    /// <summary>Reports every difference between the two sides to <paramref name="sink"/>.</summary>
    internal void Compare(RecordedEntry expected, RecordedEntry actual, BodyDiffContext context, IDiffSink sink)
    {
        if (expected.Error is null != (actual.Error is null))
        {
            sink.Report("error", expected.Error is null ? DifferenceKind.Added : DifferenceKind.Removed, Describe(expected.Error), Describe(actual.Error));
        }

        if (expected.Response is not { } left || actual.Response is not { } right)
        {
            if (expected.Response is null != (actual.Response is null) && expected.Error is null && actual.Error is null)
            {
                sink.Report("status", DifferenceKind.Changed, expected.Response?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", actual.Response?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
            }

            return;
        }

        if (left.Status != right.Status)
        {
            sink.Report("status", DifferenceKind.Changed, left.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), right.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        HeaderComparer.Compare(WithoutGrpcStatus(left.Headers), WithoutGrpcStatus(right.Headers), "header", sink);
        HeaderComparer.Compare(Trailers(left), Trailers(right), "trailer", sink);
        if (left.Status == 101 && right.Status == 101)
        {
            // An upgraded session: what the recorder stored as bodies are its raw frames; the messages are what was said.
            CompareMessages(expected, actual, expected.Protocol, context, sink);
            return;
        }

        CompareBodies(Decoded(left.Body, left.Headers), Decoded(right.Body, right.Headers), expected.Protocol, context, sink);
    }

    /// <summary>
    /// A WebSocket session's server messages, turn by turn (the messages between two client messages), pair by pair
    /// within a turn (by a correlation key first when the turn's messages carry one: <see cref="MessagePairing"/>), each
    /// payload compared like a body at <c>message[i]</c> (its index in the recording); a keyed message on one side only at
    /// <c>message[id=7]</c>; and <c>messages</c> when a turn has a different number of the others. One extra heartbeat
    /// thus shifts only its own turn.
    /// A side whose messages the recorder cut short (<c>websocket.droppedMessages</c>, <c>websocket.error</c>) is
    /// compared as far as it goes.
    /// </summary>
    private void CompareMessages(RecordedEntry expected, RecordedEntry actual, Protocol protocol, BodyDiffContext context, IDiffSink sink)
    {
        var left = expected.ServerMessages;
        var right = actual.ServerMessages;
        var incomplete = expected.MessagesIncomplete || actual.MessagesIncomplete;
        var countDiffers = false;
        CorrelatedIdRewriter? rewriter = null; // built by the first turn that pairs by key, for them all
        int i = 0, j = 0;
        while (i < left.Length || j < right.Length)
        {
            // The next turn either side is in; pair that turn's messages in order.
            var turn = Math.Min(i < left.Length ? expected.ServerTurns[i] : int.MaxValue, j < right.Length ? actual.ServerTurns[j] : int.MaxValue);
            var leftEnd = i;
            while (leftEnd < left.Length && expected.ServerTurns[leftEnd] == turn)
            {
                leftEnd++;
            }

            var rightEnd = j;
            while (rightEnd < right.Length && actual.ServerTurns[rightEnd] == turn)
            {
                rightEnd++;
            }

            var last = incomplete && (leftEnd >= left.Length || rightEnd >= right.Length);
            if (MessagePairing.Pair(left, i, leftEnd, right, j, rightEnd, context.Correlated, ref rewriter) is { } plan)
            {
                // Keyed first (a multiplexing server may answer pending calls in another order), the rest by position.
                var pairs = plan.Pairs;
                for (var k = 0; k < plan.LeftRest.Count && k < plan.RightRest.Count; k++)
                {
                    pairs.Add((plan.LeftRest[k], plan.RightRest[k]));
                }

                pairs.Sort((a, b) => a.Left.CompareTo(b.Left));
                foreach (var (l, r) in pairs)
                {
                    ComparePair(l, r);
                }

                countDiffers |= plan.CountDiffers;
                if (!last)
                {
                    foreach (var (index, key) in plan.Missing)
                    {
                        sink.Report(KeyedLocation(plan.Member, key), DifferenceKind.Removed, Show(left[index]), null);
                    }

                    foreach (var (index, key) in plan.Added)
                    {
                        sink.Report(KeyedLocation(plan.Member, key), DifferenceKind.Added, null, Show(right[index]));
                    }
                }
            }
            else
            {
                countDiffers |= leftEnd - i != rightEnd - j;
                for (int l = i, r = j; l < leftEnd && r < rightEnd; l++, r++)
                {
                    ComparePair(l, r);
                }
            }

            i = leftEnd;
            j = rightEnd;
            if (last)
            {
                return; // the rest of the other side has nothing recorded to be compared with
            }
        }

        if (countDiffers)
        {
            sink.Report("messages", DifferenceKind.Changed, Count(left.Length), Count(right.Length));
        }

        void ComparePair(int l, int r)
        {
            var location = "message[" + l.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
            if (left[l].Kind != right[r].Kind)
            {
                sink.Report(location, DifferenceKind.Changed, left[l].Kind.ToString().ToLowerInvariant(), right[r].Kind.ToString().ToLowerInvariant());
                return;
            }

            CompareBodies(left[l].Payload, right[r].Payload, protocol, context, new RelocatedSink(sink, location));
        }

        static string Count(int count) => count == 1 ? "1 server message" : count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " server messages";
    }

    /// <summary>Where a message with a key on one side only is reported: <c>message[id=7]</c>, like a keyed array element.</summary>
    private static string KeyedLocation(string member, string key) =>
        "message[" + member + "=" + (key.Length <= 40 ? key : string.Concat(key.AsSpan(0, 40), "…")).Replace(']', ')') + "]";

    /// <summary>A message as an example value: its text (a SignalR record without its separator), or its size.</summary>
    private static string? Show(WebSocketMessage message) => message.Payload is not { } payload ? null
        : payload.IsText ? Difference.Shorten(payload.Text.TrimEnd('\u001e'))
        : $"{payload.Size} bytes {message.Kind.ToString().ToLowerInvariant()}";

    /// <summary>Reports a comparer's <c>body…</c> locations at a message's location instead (<c>body:$.a</c> → <c>message[2]:$.a</c>).</summary>
    private sealed class RelocatedSink(IDiffSink inner, string location) : IDiffSink
    {
        public void Report(string at, DifferenceKind kind, string? expected, string? actual) =>
            inner.Report(at.StartsWith("body", StringComparison.Ordinal) ? location + at["body".Length..] : location + ":" + at, kind, expected, actual);
    }

    /// <summary>The comparer for a body (by media type, then by sniffing).</summary>
    public IDiffComparer For(ExchangeBody body, Protocol protocol)
    {
        foreach (var comparer in _comparers)
        {
            if (comparer.CanCompare(body, protocol))
            {
                return comparer;
            }
        }

        return _binary;
    }

    /// <summary>
    /// A readable rendering of one side for the side-by-side viewer: its body, or for a WebSocket session (a 101)
    /// its server messages, each under its <c>message[i]</c> location (the stored body is raw frames).
    /// </summary>
    internal string Render(RecordedEntry entry, Protocol protocol)
    {
        if (entry.Response is not { Status: 101 } || entry.ServerMessages.IsDefaultOrEmpty)
        {
            return Render(entry.Response?.Body, protocol);
        }

        var text = new System.Text.StringBuilder();
        for (var i = 0; i < entry.ServerMessages.Length; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"message[{i}]").Append('\n').Append(Render(entry.ServerMessages[i].Payload, protocol)).Append("\n\n");
        }

        return text.ToString();
    }

    /// <summary>A readable rendering of a body for the side-by-side viewer.</summary>
    public string Render(ExchangeBody? body, Protocol protocol)
    {
        if (body is null || body.Content.IsEmpty)
        {
            return string.Empty;
        }

        var comparer = For(body, protocol);
        return comparer.Pretty(body) ?? (body.IsText ? body.Text : _binary.Pretty(body)!);
    }

    /// <summary>
    /// A body still carrying its Content-Encoding (a recording made with --no-redact, or a server that
    /// compressed regardless) is compared decoded, so gzip on one side and plain on the other is no diff.
    /// </summary>
    private static ExchangeBody? Decoded(ExchangeBody? body, System.Collections.Immutable.ImmutableArray<HeaderField> headers)
    {
        if (body is null || body.Truncated || body.Content.IsEmpty || headers.Get("content-encoding") is not { Length: > 0 } encoding)
        {
            return body;
        }

        return ContentDecoding.TryDecode(body.Content.ToArray(), encoding, out var decoded, out _) == ContentDecoding.Outcome.Decoded
            ? body with { Content = decoded }
            : body;
    }

    private void CompareBodies(ExchangeBody? left, ExchangeBody? right, Protocol protocol, BodyDiffContext context, IDiffSink sink)
    {
        var leftEmpty = left is null || left.Content.IsEmpty;
        var rightEmpty = right is null || right.Content.IsEmpty;
        if ((left is { Truncated: true } && leftEmpty) || (right is { Truncated: true } && rightEmpty))
        {
            // One side kept none of its body (record --max-body 0, a HAR without body text): there is nothing to
            // compare it with, only that a body of a known size is no longer there at all.
            if (left is { Truncated: true, Size: > 0 } && leftEmpty && rightEmpty && right is not { Truncated: true })
            {
                sink.Report("body", DifferenceKind.Removed, Summary(left), null);
            }
            else if (right is { Truncated: true, Size: > 0 } && rightEmpty && leftEmpty && left is not { Truncated: true })
            {
                sink.Report("body", DifferenceKind.Added, null, Summary(right));
            }

            return;
        }

        if (leftEmpty && rightEmpty)
        {
            return;
        }

        if (leftEmpty || rightEmpty)
        {
            sink.Report("body", leftEmpty ? DifferenceKind.Added : DifferenceKind.Removed, leftEmpty ? null : Summary(left!), rightEmpty ? null : Summary(right!));
            return;
        }

        if (left!.Content.Span.SequenceEqual(right!.Content.Span))
        {
            return;
        }

        if (left.Truncated || right.Truncated)
        {
            // A body cut at the capture cap cannot be parsed; compare the common prefix as text.
            var length = Math.Min(left.Content.Length, right.Content.Length);
            if (!left.Content.Span[..length].SequenceEqual(right.Content.Span[..length]))
            {
                sink.Report("body:truncated", DifferenceKind.Changed, Cut(left), Cut(right));
            }

            return;
        }

        // Each side says whether it was cut (a result cut by replay read as the recording's, QA round 12c).
        static string Cut(ExchangeBody body) => body.Truncated ? $"{body.Size} bytes (truncated)" : $"{body.Size} bytes";

        if (CompareFramed(left, right, protocol, context, sink))
        {
            return;
        }

        var comparer = For(left, protocol);
        if (comparer.Compare(left, right, context, sink))
        {
            return;
        }

        if (left.IsText && right.IsText)
        {
            _text.Compare(left, right, context, sink);
        }
        else
        {
            _binary.Compare(left, right, context, sink);
        }
    }

    /// <summary>
    /// JSON in a framing (<see cref="FramedJson"/>: Engine.IO / Socket.IO packets such as <c>431[{"id":689,"at":…}]</c>,
    /// SignalR's 0x1E-ended records) is compared as JSON record by record, so noise and correlated ids inside it are
    /// recognised as in a JSON body: a single record at <c>body:$…</c>, several at <c>body:record[i]:$…</c>; a changed
    /// packet prefix at <c>body:frame</c>. Records are paired by their order among the records with data: a bare packet
    /// (a ping in a polling batch, there or not depending on timing) is not compared. False when either side is not framed JSON.
    /// </summary>
    private bool CompareFramed(ExchangeBody left, ExchangeBody right, Protocol protocol, BodyDiffContext context, IDiffSink sink)
    {
        if (!left.IsText || !right.IsText || FramedJson.SplitData(left.Content.Span) is not { } expected || FramedJson.SplitData(right.Content.Span) is not { } actual)
        {
            return false;
        }

        for (var i = 0; i < expected.Count && i < actual.Count; i++)
        {
            var at = expected.Count == 1 && actual.Count == 1 ? sink : new RelocatedSink(sink, "body:record[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");
            var (e, a) = (expected[i], actual[i]);
            var expectedPrefix = System.Text.Encoding.UTF8.GetString(left.Content.Span[e.PrefixStart..e.JsonStart]).Trim();
            var actualPrefix = System.Text.Encoding.UTF8.GetString(right.Content.Span[a.PrefixStart..a.JsonStart]).Trim();
            if (!string.Equals(expectedPrefix, actualPrefix, StringComparison.Ordinal))
            {
                at.Report("body:frame", DifferenceKind.Changed, expectedPrefix, actualPrefix);
            }

            CompareBodies(
                ExchangeBody.FromBytes(left.Content.Slice(e.JsonStart, e.JsonLength), "application/json"),
                ExchangeBody.FromBytes(right.Content.Slice(a.JsonStart, a.JsonLength), "application/json"),
                protocol,
                context,
                at);
        }

        if (expected.Count != actual.Count)
        {
            sink.Report("body:records", DifferenceKind.Changed, expected.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), actual.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return true;
    }

    private static ImmutableArray<HeaderField> WithoutGrpcStatus(ImmutableArray<HeaderField> headers) =>
        headers.Has("grpc-status") ? headers.Without("grpc-status").Without("grpc-message") : headers;

    /// <summary>Trailers, plus grpc-status/grpc-message from the headers of a trailers-only gRPC response.</summary>
    private static ImmutableArray<HeaderField> Trailers(ExchangeResponse response)
    {
        var trailers = response.Trailers;
        foreach (var name in (ReadOnlySpan<string>)["grpc-status", "grpc-message"])
        {
            if (!trailers.Has(name) && response.Headers.Get(name) is { } value)
            {
                trailers = trailers.Add(new HeaderField(name, value));
            }
        }

        return trailers;
    }

    private static string? Describe(ExchangeError? error) => error is null ? null : $"{error.Kind}: {error.Message}";

    private static string Summary(ExchangeBody body) => $"{body.Size} bytes {body.MediaType}".TrimEnd();
}
