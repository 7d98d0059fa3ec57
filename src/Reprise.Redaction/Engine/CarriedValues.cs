using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using Reprise.Core.Model;

namespace Reprise.Redaction.Engine;

/// <summary>
/// The values redacted in earlier exchanges of one stream (a recording, a <c>redact</c> run, a replay's results),
/// carried so a later exchange that holds one raw (a SignalR <c>connectionToken</c> from negotiate sent back as
/// <c>?id=</c>, a <c>sessionId</c> echoed in a header, a name repeated in a note) gets the same replacement there.
/// Only values the same-value pass spreads (<see cref="ValueSpread.Qualifies"/>) are kept: at most
/// <see cref="Capacity"/> of them and <see cref="MaxChars"/> characters in all, the least recently seen evicted
/// first. They live in this set only (never logged or written). Thread-safe: the record pipeline redacts
/// exchanges on several threads.
/// <para>
/// A later exchange is searched once per part with a multi-pattern search (<see cref="SearchValues{T}"/>, ordinal
/// ignoring case, over every value and its encoded forms, as the same-value pass searches them). The search is
/// built in two levels so that its cost is amortised: the values added since the last full build (at most
/// <see cref="FreshLimit"/>) have their own small search, rebuilt when they change; the full one is rebuilt when
/// they overflow. Only values found are handed to the same-value pass, which replaces them by structure.
/// </para>
/// </summary>
internal sealed class CarriedValues
{
    /// <summary>The most values carried.</summary>
    public const int DefaultCapacity = 1024;

    /// <summary>The most characters carried (all values together).</summary>
    public const int DefaultMaxChars = 256 * 1024;

    /// <summary>Values added since the last full build are searched by a small search of their own, up to this many.</summary>
    private const int FreshLimit = 32;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<SpreadValue>> _live = new(StringComparer.OrdinalIgnoreCase);
    private readonly LinkedList<SpreadValue> _order = new(); // least recently seen first
    private readonly List<SpreadValue> _fresh = [];
    private long _chars;
    private Searchers? _searchers;

    // Per thread, reused: the parts' decoded text and the values found in them.
    [ThreadStatic]
    private static List<string>? t_found;

    [ThreadStatic]
    private static HashSet<string>? t_added;

    [ThreadStatic]
    private static List<SpreadValue>? t_values;

    public CarriedValues(int capacity = DefaultCapacity, int maxChars = DefaultMaxChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        Capacity = capacity;
        MaxChars = maxChars;
    }

    public int Capacity { get; }

    public int MaxChars { get; }

    /// <summary>How many values are carried now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>How many characters the carried values hold now.</summary>
    public long Chars
    {
        get
        {
            lock (_gate)
            {
                return _chars;
            }
        }
    }

    /// <summary>How many times the full search was built (for tests and the benchmark notes).</summary>
    public int FullBuilds { get; private set; }

    /// <summary>True when the value (any case) is carried now.</summary>
    public bool Contains(string value)
    {
        lock (_gate)
        {
            return _live.ContainsKey(value);
        }
    }

    /// <summary>
    /// Finds the carried values that still occur (in any form the same-value pass searches) in an exchange's parts,
    /// after its normal redaction, and adds them to the session's values to spread, marked as carried.
    /// </summary>
    public void Collect(RedactionSession session, ExchangeRequest request, ExchangeResponse? response, ImmutableArray<WebSocketMessage> messages, ImmutableSortedDictionary<string, string> tags, ExchangeError? error)
    {
        if (Volatile.Read(ref _searchers) is not { } searchers)
        {
            return;
        }

        var found = t_found ??= [];
        found.Clear();
        searchers.Search(request.Url, found);
        Headers(searchers, request.Headers, found);
        Body(searchers, request.Body, found);
        if (response is not null)
        {
            Headers(searchers, response.Headers, found);
            Body(searchers, response.Body, found);
            Headers(searchers, response.Trailers, found);
        }

        if (!messages.IsDefaultOrEmpty)
        {
            foreach (var message in messages)
            {
                Body(searchers, message.Payload, found);
                if (message.CloseReason is { } reason)
                {
                    searchers.Search(reason, found);
                }
            }
        }

        if (!tags.IsEmpty)
        {
            foreach (var (_, value) in tags)
            {
                searchers.Search(value, found);
            }
        }

        if (error is not null)
        {
            searchers.Search(error.Message, found);
        }

        if (found.Count == 0)
        {
            return;
        }

        var added = t_added ??= new HashSet<string>(StringComparer.Ordinal);
        var values = t_values ??= [];
        added.Clear();
        values.Clear();
        lock (_gate)
        {
            foreach (var original in found)
            {
                // A value evicted since the search was built is no longer carried.
                if (added.Add(original) && _live.TryGetValue(original, out var node))
                {
                    _order.Remove(node);
                    _order.AddLast(node);
                    values.Add(node.Value with { Carried = true });
                }
            }
        }

        if (values.Count > 0)
        {
            session.AddCarriedValues(values);
        }

        found.Clear();
        added.Clear();
        values.Clear();
    }

    /// <summary>
    /// Remembers the values an exchange redacted (the last <see cref="Capacity"/> of them: earlier ones would be
    /// evicted by the later ones anyway). A value already carried keeps its first redaction (same replacement) and
    /// becomes the most recently seen.
    /// </summary>
    public void Remember(List<SpreadValue> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            var added = false;
            for (var i = Math.Max(0, values.Count - Capacity); i < values.Count; i++)
            {
                var value = values[i];
                if (value.Carried)
                {
                    continue;
                }

                if (_live.TryGetValue(value.Original, out var node))
                {
                    _order.Remove(node);
                    _order.AddLast(node);
                    continue;
                }

                _live.Add(value.Original, _order.AddLast(value with { Carried = false }));
                _chars += value.Original.Length;
                _fresh.Add(value);
                added = true;
                while (_live.Count > Capacity || _chars > MaxChars)
                {
                    var oldest = _order.First!;
                    _order.RemoveFirst();
                    _live.Remove(oldest.Value.Original);
                    _chars -= oldest.Value.Original.Length;
                }
            }

            if (added)
            {
                Rebuild();
            }
        }
    }

    /// <summary>Rebuilds the small search over the fresh values, or the full one when they overflow (under the lock).</summary>
    private void Rebuild()
    {
        _fresh.RemoveAll(value => !_live.ContainsKey(value.Original));
        var current = _searchers;
        if (current?.Full is not null && _fresh.Count <= FreshLimit)
        {
            Volatile.Write(ref _searchers, new Searchers(current.Full, _fresh.Count == 0 ? null : Searcher.Build(_fresh)));
            return;
        }

        var all = new List<SpreadValue>(_live.Count);
        foreach (var value in _order)
        {
            all.Add(value);
        }

        _fresh.Clear();
        FullBuilds++;
        Volatile.Write(ref _searchers, all.Count == 0 ? null : new Searchers(Searcher.Build(all), null));
    }

    private static void Headers(Searchers searchers, ImmutableArray<HeaderField> headers, List<string> found)
    {
        if (headers.IsDefaultOrEmpty)
        {
            return;
        }

        foreach (var header in headers)
        {
            searchers.Search(header.Value, found);
        }
    }

    private static void Body(Searchers searchers, ExchangeBody? body, List<string> found)
    {
        if (body is null || body.Content.Length < ValueSpread.MinLength)
        {
            return;
        }

        var bytes = body.Content.Span;
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            // Invalid UTF-8 becomes U+FFFD: ASCII values are still found; such a body is searched as Latin-1 too (the
            // same-value pass masks a value in a binary body byte for byte).
            var count = Encoding.UTF8.GetChars(bytes, chars);
            searchers.Search(chars.AsSpan(0, count), found);
            if (!System.Text.Unicode.Utf8.IsValid(bytes))
            {
                count = Encoding.Latin1.GetChars(bytes, chars);
                searchers.Search(chars.AsSpan(0, count), found);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>The full search and the fresh one (immutable: read without the lock).</summary>
    private sealed class Searchers(Searcher? full, Searcher? fresh)
    {
        public Searcher? Full { get; } = full;

        public Searcher? Fresh { get; } = fresh;

        public void Search(ReadOnlySpan<char> text, List<string> found)
        {
            if (text.Length < ValueSpread.MinLength)
            {
                return;
            }

            Full?.Search(text, found);
            Fresh?.Search(text, found);
        }
    }

    /// <summary>One multi-pattern search over a set of values and their encoded forms, with the way back from a hit to its value.</summary>
    private sealed class Searcher
    {
        private readonly SearchValues<string> _search;
        private readonly Dictionary<string, string> _originals;
        private readonly int[] _lengths;

        private Searcher(SearchValues<string> search, Dictionary<string, string> originals, int[] lengths)
        {
            _search = search;
            _originals = originals;
            _lengths = lengths;
        }

        public static Searcher Build(List<SpreadValue> values)
        {
            var originals = new Dictionary<string, string>(values.Count * 2, StringComparer.OrdinalIgnoreCase);
            var forms = new List<string>(4);
            var lengths = new HashSet<int>();
            foreach (var value in values)
            {
                forms.Clear();
                forms.Add(value.Original);
                ValueSpread.EncodedForms(value.Original, forms);
                foreach (var form in forms)
                {
                    if (originals.TryAdd(form, value.Original))
                    {
                        lengths.Add(form.Length);
                    }
                }
            }

            var texts = new string[originals.Count];
            originals.Keys.CopyTo(texts, 0);
            var sorted = new int[lengths.Count];
            lengths.CopyTo(sorted);
            Array.Sort(sorted, static (a, b) => b.CompareTo(a));
            return new Searcher(SearchValues.Create(texts, StringComparison.OrdinalIgnoreCase), originals, sorted);
        }

        /// <summary>Adds the value of every form found in the text (a value may be added more than once).</summary>
        public void Search(ReadOnlySpan<char> text, List<string> found)
        {
            var lookup = _originals.GetAlternateLookup<ReadOnlySpan<char>>();
            var from = 0;
            while (text.Length - from >= ValueSpread.MinLength)
            {
                var hit = text[from..].IndexOfAny(_search);
                if (hit < 0)
                {
                    return;
                }

                var at = from + hit;
                foreach (var length in _lengths)
                {
                    if (at + length <= text.Length && lookup.TryGetValue(text.Slice(at, length), out var original))
                    {
                        found.Add(original);
                        break;
                    }
                }

                from = at + 1;
            }
        }
    }
}
