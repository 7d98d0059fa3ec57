using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using Reprise.Core.Model;
using Reprise.Redaction.Detection;

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
    private readonly Dictionary<string, LinkedListNode<Entry>> _live = new(StringComparer.OrdinalIgnoreCase);
    private readonly LinkedList<Entry> _order = new(); // least recently seen first
    private long _calls;
    private readonly List<SpreadValue> _fresh = [];
    private long _chars;
    private Searchers? _searchers;

    // Per thread, reused: the values found in an exchange's parts.
    [ThreadStatic]
    private static Scratch? t_scratch;

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
    /// after its normal redaction and same-value pass, and adds them to the session's values to spread, marked as
    /// carried; true when there is any.
    /// </summary>
    public bool Collect(RedactionSession session, ExchangeRequest request, ExchangeResponse? response, ImmutableArray<WebSocketMessage> messages, ImmutableSortedDictionary<string, string> tags, ExchangeError? error)
    {
        if (Volatile.Read(ref _searchers) is not { } searchers)
        {
            return false;
        }

        var scratch = t_scratch ??= new Scratch();
        var found = scratch.Found;
        found.Clear();

        // The text parts (URL, headers, trailers, close reasons, tags, error) are searched as one text, a line each: one
        // search instead of one per short part (a hit across two lines is only a false alarm the same-value pass drops).
        scratch.Length = 0;
        scratch.Append(request.Url);
        Headers(scratch, request.Headers);
        Body(searchers, request.Body, found);
        if (response is not null)
        {
            Headers(scratch, response.Headers);
            Body(searchers, response.Body, found);
            Headers(scratch, response.Trailers);
        }

        if (!messages.IsDefaultOrEmpty)
        {
            foreach (var message in messages)
            {
                Body(searchers, message.Payload, found);
                if (message.CloseReason is { } reason)
                {
                    scratch.Append(reason);
                }
            }
        }

        if (!tags.IsEmpty)
        {
            foreach (var (_, value) in tags)
            {
                scratch.Append(value);
            }
        }

        if (session.Base64Texts is { } decoded)
        {
            // Text the normal pass found as base64 in JSON strings (an attachment naming a customer of an earlier exchange).
            foreach (var text in decoded)
            {
                scratch.Append(text);
            }
        }

        if (error is not null)
        {
            scratch.Append(error.Message);
        }

        searchers.Search(scratch.Text.AsSpan(0, scratch.Length), found);
        scratch.Shrink();

        if (found.Count == 0)
        {
            return false;
        }

        var added = scratch.Added;
        var values = scratch.Values;
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
                    values.Add(node.Value.Value with { Carried = true });
                }
            }
        }

        var any = values.Count > 0;
        if (any)
        {
            session.AddCarriedValues(values);
        }

        found.Clear();
        added.Clear();
        values.Clear();
        return any;
    }

    /// <summary>
    /// Remembers the values an exchange redacted (the last <see cref="Capacity"/> of them: earlier ones would be
    /// evicted by the later ones anyway). A value already carried keeps its first redaction and becomes the most
    /// recently seen; when this exchange redacted it differently, its entry in <paramref name="values"/> is replaced
    /// by the carried one, so the same-value pass writes the stream's replacement elsewhere in the exchange.
    /// </summary>
    /// <returns>
    /// True when every carried value is one of this exchange's own: the same-value pass then replaces all of them and
    /// <see cref="Collect"/> has nothing to find (a stream whose exchanges all carry the same session token and user).
    /// </returns>
    public bool Remember(List<SpreadValue> values)
    {
        if (values.Count == 0)
        {
            return false;
        }

        lock (_gate)
        {
            var call = ++_calls;
            var added = false;
            var idBudget = Capacity / 4; // values of other kinds this exchange may add
            for (var i = Math.Max(0, values.Count - Capacity); i < values.Count; i++)
            {
                var value = values[i];
                if (value.Carried || !Carries(value))
                {
                    continue;
                }

                if (_live.TryGetValue(value.Original, out var node))
                {
                    _order.Remove(node);
                    _order.AddLast(node);
                    node.Value.Seen = call;
                    if (node.Value.Value with { Original = value.Original } != value)
                    {
                        values[i] = node.Value.Value with { Carried = true };
                    }

                    continue;
                }

                if (!IsCredential(value.Kind) && idBudget-- <= 0)
                {
                    continue; // one list of ids, phones or rule values must not evict the stream's session tokens
                }

                _live.Add(value.Original, _order.AddLast(new Entry(value with { Carried = false }) { Seen = call }));
                _chars += value.Original.Length;
                _fresh.Add(value);
                added = true;
                while (_live.Count > Capacity || _chars > MaxChars)
                {
                    var oldest = _order.First!;
                    _order.RemoveFirst();
                    _live.Remove(oldest.Value.Value.Original);
                    _chars -= oldest.Value.Value.Original.Length;
                }
            }

            if (added)
            {
                Rebuild();
            }

            // Entries seen in this call are at the end of the list: the least recently seen one was too only when all were.
            return _order.First is { } first && first.Value.Seen == call;
        }
    }

    /// <summary>
    /// The kinds carried: all but names (a full name is, see <see cref="Carries(SpreadValue)"/>), addresses and dates, whose words and days recur in unrelated text (a
    /// <c>firstName</c> "Jordan" would turn a later <c>"country":"Jordan"</c> into a token), and what a value detector
    /// finds wherever it stands (emails, cards, IBANs, IPs: carrying those adds nothing but evictions). So secrets,
    /// credentials, account ids, national ids and phones found by their field name (a passport number sent back in a
    /// path), and what a user's rule redacted, are carried.
    /// </summary>
    internal static bool Carries(DataKind kind) =>
        kind is not (DataKind.PersonName or DataKind.PostalAddress or DataKind.BirthDate or DataKind.Email or DataKind.CardNumber or DataKind.Iban or DataKind.IpAddress);

    /// <summary>
    /// Whether a value is carried: its kind is (<see cref="Carries(DataKind)"/>), or it is a person's full name as people
    /// write one (<see cref="BuiltInDetectors.LooksLikeFullName"/>: "Maria Gonzalez", two to four capitalised words),
    /// which does not recur in unrelated text the way a first name or a word of an address does: a track's creator
    /// tokenized in one answer stays tokenized in the artist list and the file titles of the next.
    /// </summary>
    internal static bool Carries(SpreadValue value) =>
        Carries(value.Kind) || (value.Kind == DataKind.PersonName && BuiltInDetectors.LooksLikeFullName(value.Original));

    /// <summary>Secrets and credentials: an exchange may add any number of them; other kinds at most a quarter of the capacity.</summary>
    private static bool IsCredential(DataKind kind) =>
        kind is DataKind.Secret or DataKind.Password or DataKind.ApiKey or DataKind.BearerToken or DataKind.Jwt;

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
        foreach (var entry in _order)
        {
            all.Add(entry.Value);
        }

        _fresh.Clear();
        FullBuilds++;
        Volatile.Write(ref _searchers, all.Count == 0 ? null : new Searchers(Searcher.Build(all), null));
    }

    private static void Headers(Scratch scratch, ImmutableArray<HeaderField> headers)
    {
        if (headers.IsDefaultOrEmpty)
        {
            return;
        }

        foreach (var header in headers)
        {
            if (header.Value.Length >= ValueSpread.MinLength)
            {
                scratch.Append(header.Value);
            }
        }
    }

    private static void Body(Searchers searchers, ExchangeBody? body, List<string> found)
    {
        if (body is null || body.Content.Length < ValueSpread.MinLength)
        {
            return;
        }

        searchers.Search(body.Content.Span, found);
    }

    /// <summary>A carried value and the last <see cref="Remember"/> call that saw it.</summary>
    private sealed class Entry(SpreadValue value)
    {
        public SpreadValue Value { get; } = value;

        public long Seen { get; set; }
    }

    private sealed class Scratch
    {
        public char[] Text { get; private set; } = new char[1024];

        public int Length { get; set; }

        public List<string> Found { get; } = [];

        public HashSet<string> Added { get; } = new(StringComparer.Ordinal);

        public List<SpreadValue> Values { get; } = [];

        /// <summary>Appends a text part and a line break.</summary>
        public void Append(string part)
        {
            if (Length + part.Length + 1 > Text.Length)
            {
                var grown = new char[Math.Max(Length + part.Length + 1, Text.Length * 2)];
                Text.AsSpan(0, Length).CopyTo(grown);
                Text = grown;
            }

            part.CopyTo(Text.AsSpan(Length));
            Length += part.Length;
            Text[Length++] = '\n';
        }

        /// <summary>A buffer grown for one exchange's long URL or headers is not kept by the thread.</summary>
        public void Shrink()
        {
            if (Text.Length > 64 * 1024)
            {
                Text = new char[1024];
            }
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

        /// <summary>
        /// Searches UTF-8 bytes: a few ASCII values directly in the bytes (folded), else decoded once. Invalid UTF-8 is
        /// searched as Latin-1 too (the same-value pass masks a value in a binary body byte for byte).
        /// </summary>
        public void Search(ReadOnlySpan<byte> bytes, List<string> found)
        {
            // Both searched, each on its own: one that cannot search the bytes must not stop the other from trying.
            var fullDone = Full is null || Full.TrySearch(bytes, found);
            var freshDone = Fresh is null || Fresh.TrySearch(bytes, found);
            if (fullDone && freshDone)
            {
                return;
            }

            var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
            try
            {
                var status = System.Text.Unicode.Utf8.ToUtf16(bytes, chars, out _, out var count, replaceInvalidSequences: false);
                if (status == OperationStatus.Done)
                {
                    SearchDecoded(chars.AsSpan(0, count), found, fullDone, freshDone);
                    return;
                }

                // Invalid UTF-8 becomes U+FFFD: ASCII values are still found; then the bytes as Latin-1.
                count = Encoding.UTF8.GetChars(bytes, chars);
                SearchDecoded(chars.AsSpan(0, count), found, fullDone, freshDone);
                count = Encoding.Latin1.GetChars(bytes, chars);
                SearchDecoded(chars.AsSpan(0, count), found, fullDone, freshDone);
            }
            finally
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }

        /// <summary>Text decoded from a body: only the searchers that could not search the bytes search it.</summary>
        private void SearchDecoded(ReadOnlySpan<char> text, List<string> found, bool fullDone, bool freshDone)
        {
            if (!fullDone)
            {
                Full!.Search(text, found);
            }

            if (!freshDone)
            {
                Fresh!.Search(text, found);
            }
        }
    }

    /// <summary>
    /// One multi-pattern search over a set of values, with the way back from a hit to its values. A value is searched
    /// by its longest run of ASCII letters and digits when that has at least 6 characters (every form the same-value
    /// pass looks for, raw, JSON-, percent-, form- or XML-encoded, writes those characters unchanged), else by each of
    /// its forms. A hit only says the value may be there: the same-value pass then finds (or not) each standalone
    /// occurrence. A few ASCII patterns (the usual stream: a session token, an email) are searched one by one with the
    /// vectorized ordinal search over an ASCII-lower-cased copy of the part, as the same-value pass does. More go
    /// through one <see cref="SearchValues{T}"/> search ignoring case when that stays vectorized: up to 32 patterns, or
    /// patterns that start with at most 4 different characters (past about 32 strings it is an Aho-Corasick
    /// automaton, which skips ahead vectorized only to the patterns' first characters: ~3.7 ns per character when they
    /// start with anything, measured). Else a rolling hash of the first 6 characters (folded) against a bitmap, then a
    /// set of the exact prefix hashes, ~1 ns per character whatever the number of values.
    /// </summary>
    private sealed class Searcher
    {
        /// <summary>Up to this many ASCII patterns are searched one by one.</summary>
        private const int FewPatterns = 8;

        /// <summary>Up to this many patterns, <see cref="SearchValues{T}"/> stays a vectorized search.</summary>
        private const int VectorPatterns = 32;

        /// <summary>Patterns starting with at most this many different (folded) characters keep the automaton's vectorized skip.</summary>
        private const int FewStarts = 4;

        [ThreadStatic]
        private static char[]? t_foldedChars;

        [ThreadStatic]
        private static byte[]? t_foldedBytes;

        private readonly SearchValues<string>? _search;
        private readonly Dictionary<string, List<string>> _originals;
        private readonly int[] _lengths;
        private readonly int _shortest;
        private readonly (string Chars, byte[] Bytes, List<string> Originals)[]? _few;
        private readonly ulong[]? _bits;
        private readonly int _bitsLog2;
        private readonly HashSet<ulong>? _prefixes;

        private Searcher(SearchValues<string>? search, Dictionary<string, List<string>> originals, int[] lengths, (string, byte[], List<string>)[]? few, ulong[]? bits, int bitsLog2, HashSet<ulong>? prefixes)
        {
            _search = search;
            _originals = originals;
            _lengths = lengths;
            _shortest = lengths.Length == 0 ? int.MaxValue : lengths[^1];
            _few = few;
            _bits = bits;
            _bitsLog2 = bitsLog2;
            _prefixes = prefixes;
        }

        /// <summary>True when the patterns are searched one by one (bytes need no decoding).</summary>
        public bool IsFew => _few is not null;

        public static Searcher Build(List<SpreadValue> values)
        {
            var originals = new Dictionary<string, List<string>>(values.Count * 2, StringComparer.OrdinalIgnoreCase);
            var forms = new List<string>(4);
            var lengths = new HashSet<int>();
            var ascii = true;
            void Add(string pattern, string original)
            {
                if (!originals.TryGetValue(pattern, out var list))
                {
                    originals.Add(pattern, list = []);
                    lengths.Add(pattern.Length);
                    ascii &= Ascii.IsValid(pattern);
                }

                if (!list.Contains(original))
                {
                    list.Add(original);
                }
            }

            // A few values (the usual stream) are searched one by one: a run of 4 is anchor enough there (an email's
            // domain); many go through a search whose rolling hash needs 6 characters.
            var anchorLength = values.Count <= FewPatterns ? 4 : ValueSpread.MinLength;
            foreach (var value in values)
            {
                if (Anchor(value.Original, anchorLength) is { } anchor)
                {
                    Add(anchor, value.Original);
                    continue;
                }

                forms.Clear();
                forms.Add(value.Original);
                ValueSpread.EncodedForms(value.Original, forms);
                foreach (var form in forms)
                {
                    Add(form, value.Original);
                }
            }

            var texts = new string[originals.Count];
            originals.Keys.CopyTo(texts, 0);
            var sorted = new int[lengths.Count];
            lengths.CopyTo(sorted);
            Array.Sort(sorted, static (a, b) => b.CompareTo(a));
            if (ascii && texts.Length <= FewPatterns)
            {
                var few = new (string, byte[], List<string>)[texts.Length];
                for (var i = 0; i < texts.Length; i++)
                {
                    var lower = texts[i].ToLowerInvariant();
                    few[i] = (lower, Encoding.ASCII.GetBytes(lower), originals[texts[i]]);
                }

                return new Searcher(null, originals, sorted, few, null, 0, null);
            }

            if (texts.Length > VectorPatterns && sorted[^1] >= ValueSpread.MinLength)
            {
                var starts = new HashSet<char>();
                foreach (var text in texts)
                {
                    starts.Add(ValueSpread.Fold(text[0]));
                }

                if (starts.Count > FewStarts)
                {
                    // About 128 bits per pattern: a position passes the bitmap by chance under 1 % of the time.
                    var bitsLog2 = Math.Clamp(System.Numerics.BitOperations.Log2((uint)texts.Length) + 7, 12, 22);
                    var bits = new ulong[(1 << bitsLog2) / 64];
                    var prefixes = new HashSet<ulong>();
                    foreach (var text in texts)
                    {
                        var hash = ValueSpread.PrefixHash(text);
                        prefixes.Add(hash);
                        var bit = Bit(hash, bitsLog2);
                        bits[bit >> 6] |= 1UL << (bit & 63);
                    }

                    return new Searcher(null, originals, sorted, null, bits, bitsLog2, prefixes);
                }
            }

            return new Searcher(SearchValues.Create(texts, StringComparison.OrdinalIgnoreCase), originals, sorted, null, null, 0, null);
        }

        /// <summary>The value's longest run of ASCII letters and digits, lower-cased, when it has at least <paramref name="minLength"/> characters.</summary>
        private static string? Anchor(string value, int minLength)
        {
            var (bestStart, bestLength) = (0, 0);
            var i = 0;
            while (AsciiRuns.Next(value, ref i, out var start, out var length))
            {
                if (length > bestLength)
                {
                    (bestStart, bestLength) = (start, length);
                }
            }

            return bestLength >= minLength ? value.Substring(bestStart, bestLength).ToLowerInvariant() : null;
        }

        private static int Bit(ulong hash, int log2) => (int)((hash * 0x9E3779B97F4A7C15UL) >> (64 - log2));

        /// <summary>Adds the values whose pattern occurs in the text (a value may be added more than once).</summary>
        public void Search(ReadOnlySpan<char> text, List<string> found)
        {
            if (text.Length < _shortest)
            {
                return;
            }

            if (_few is not null && !AsciiFold.HasAsciiFolding(text))
            {
                // ASCII patterns match only ASCII characters, and ASCII case folding is OrdinalIgnoreCase's there.
                var buffer = t_foldedChars is { } b && b.Length >= text.Length ? b : t_foldedChars = new char[Math.Max(text.Length, 1024)];
                var folded = buffer.AsSpan(0, text.Length);
                AsciiFold.ToLower(text, folded);
                foreach (var (chars, _, originals) in _few)
                {
                    if (folded.IndexOf(chars.AsSpan()) >= 0)
                    {
                        found.AddRange(originals);
                    }
                }

                Shrink(ref t_foldedChars);
                return;
            }

            if (_bits is not null)
            {
                SearchHashed(text, found);
                return;
            }

            var lookup = _originals.GetAlternateLookup<ReadOnlySpan<char>>();
            var search = _search ?? SearchFew();
            var from = 0;
            while (text.Length - from >= _shortest)
            {
                var hit = text[from..].IndexOfAny(search);
                if (hit < 0)
                {
                    return;
                }

                Match(text, from + hit, lookup, found);
                from += hit + 1;
            }
        }

        /// <summary>The few patterns as one search, for text whose case folding is not ASCII's (rare: built on use).</summary>
        private SearchValues<string> SearchFew()
        {
            var texts = new string[_originals.Count];
            _originals.Keys.CopyTo(texts, 0);
            return SearchValues.Create(texts, StringComparison.OrdinalIgnoreCase);
        }

        private void Match(ReadOnlySpan<char> text, int at, Dictionary<string, List<string>>.AlternateLookup<ReadOnlySpan<char>> lookup, List<string> found)
        {
            foreach (var length in _lengths)
            {
                if (at + length <= text.Length && lookup.TryGetValue(text.Slice(at, length), out var originals))
                {
                    found.AddRange(originals);
                }
            }
        }

        /// <summary>The rolling-hash search: every position whose folded 6-character prefix is some pattern's is looked up.</summary>
        private void SearchHashed(ReadOnlySpan<char> text, List<string> found)
        {
            var bits = _bits!;
            var prefixes = _prefixes!;
            var lookup = _originals.GetAlternateLookup<ReadOnlySpan<char>>();
            var hash = ValueSpread.PrefixHash(text);
            for (var i = 0; ; i++)
            {
                var bit = Bit(hash, _bitsLog2);
                if ((bits[bit >> 6] & (1UL << (bit & 63))) != 0 && prefixes.Contains(hash))
                {
                    Match(text, i, lookup, found);
                }

                if (i + ValueSpread.MinLength >= text.Length)
                {
                    return;
                }

                hash = ((hash - (ValueSpread.Fold(text[i]) * ValueSpread.P5)) * ValueSpread.HashPrime) + ValueSpread.Fold(text[i + ValueSpread.MinLength]);
            }
        }

        /// <summary>
        /// Searches UTF-8 bytes (valid or not: ASCII bytes are themselves in UTF-8 and Latin-1) when the patterns are few
        /// and ASCII; false when the bytes must be decoded and searched as text instead.
        /// </summary>
        public bool TrySearch(ReadOnlySpan<byte> bytes, List<string> found)
        {
            if (_few is null || AsciiFold.HasAsciiFolding(bytes))
            {
                return false;
            }

            if (bytes.Length < _shortest)
            {
                return true;
            }

            var buffer = t_foldedBytes is { } b && b.Length >= bytes.Length ? b : t_foldedBytes = new byte[Math.Max(bytes.Length, 1024)];
            var folded = buffer.AsSpan(0, bytes.Length);
            AsciiFold.ToLower(bytes, folded);
            foreach (var (_, utf8, originals) in _few)
            {
                if (folded.IndexOf(utf8) >= 0)
                {
                    found.AddRange(originals);
                }
            }

            Shrink(ref t_foldedBytes);
            return true;
        }

        /// <summary>A buffer grown for one large part is not kept by the thread.</summary>
        private static void Shrink<T>(ref T[]? buffer)
        {
            if (buffer is { Length: > 1024 * 1024 })
            {
                buffer = null;
            }
        }
    }
}
