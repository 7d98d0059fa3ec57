using System.Buffers;
using System.Collections.Immutable;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Engine;

/// <summary>
/// The same-value pass: after an exchange's normal redaction, every raw value that was redacted and is long
/// enough to be unambiguous (<see cref="Qualifies"/>) is also replaced wherever else it still appears in the
/// exchange (URL, headers, trailers, bodies, WebSocket messages, tags, error message), with the replacement
/// the first redaction produced, and recorded as <c>same-value:&lt;rule&gt;</c>. A SOAP fault that echoes a
/// tokenized <c>customerId</c>, or a greeting that repeats a tokenized name, no longer keeps it raw.
/// <para>
/// One multi-pattern search (<see cref="SearchValues{T}"/> over every value and its JSON-, percent-, form- and
/// XML-encoded forms) runs over each part; only a part with a hit is rewritten, by its structure: inside JSON
/// strings (a JSON number equal to a value gets digits, so it stays a number), in XML text, attribute values,
/// comments and CDATA (never in names), percent-encoded in URLs and forms. An occurrence must stand alone:
/// not preceded or followed by a letter or digit (so <c>123456</c> is not replaced inside <c>91234567</c>).
/// </para>
/// </summary>
internal sealed class ValueSpread
{
    /// <summary>The shortest value that spreads: shorter ones (<c>42</c>, <c>Bob</c>, <c>12345</c>) collide with unrelated text.</summary>
    public const int MinLength = 6;

    private const int MaxLength = 4096;

    /// <summary>Up to this many searched strings (values and their encoded forms), each is searched for on its own.</summary>
    private const int FewVariants = 8;

    /// <summary>The most text (chars) searched by <see cref="FewCandidate"/>; longer text is hashed position by position.</summary>
    private const int FewTextLimit = 64 * 1024;
    private const string RulePrefix = "same-value:";
    private const string CarriedPrefix = "carried:";

    /// <summary>Up to this many values, parts are first ruled out by the values' anchors (<see cref="Gate(ReadOnlySpan{char})"/>).</summary>
    private const int FewGated = 4;

    private static readonly JavaScriptEncoder Relaxed = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    // One instance per thread, reused: an exchange with thousands of redacted values allocates its tables once.
    [ThreadStatic]
    private static ValueSpread? t_instance;

    internal static readonly ulong P5 = Pow(HashPrime, MinLength - 1);

    internal const ulong HashPrime = 0x100000001B3;

    private readonly List<SpreadValue> _values = [];
    private readonly List<string?> _replacements = [];
    private readonly List<int> _replaced = [];
    private readonly List<string?> _rules = [];
    private readonly List<(string Text, int Value, Form Form)> _variants = [];
    private readonly Dictionary<string, int> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<ulong> _prefixes = [];
    private readonly List<int> _lengths = [];
    private readonly List<int> _hits = [];
    private readonly List<(string Text, Form Form)> _forms = [];
    private ulong[] _bits = new ulong[64];
    private int _bitsLog2;
    private bool _bitsReady;
    private Mode _mode;
    private SearchValues<string>? _search;
    private RedactionSession _session = null!;

    // Whether a value occurs in the text of a base64 string the normal pass decoded (null: not looked yet; the
    // session's Base64Texts): JSON bodies are then walked whole and their base64 strings looked inside.
    private bool? _inBase64;

    // Built lazily: until a part holds every anchor of some value, the exchange cannot hold any of its forms and the
    // tables (encoded forms, dictionary, lower-cased copies) are never made: the usual exchange pays a few searches.
    private List<SpreadValue>? _pending;
    private long _bodyBytes;
    private bool _built;
    private readonly List<(string Value, int Start, int Length)> _anchors = [];
    private readonly List<int> _anchorEnds = [];
    private char[] _anchorChars = new char[256];
    private byte[] _anchorBytes = new byte[256];
    private char[] _foldedChars = new char[1024];
    private byte[] _foldedBytes = new byte[1024];

    // A few ASCII values (the usual exchange: a bearer token, an email): lower-cased, searched one by one with the
    // vectorized ordinal IndexOf over a lower-cased copy of ASCII text, instead of hashing every position.
    private readonly List<string> _fewLower = [];
    private char[] _lowered = new char[1024];

    private ValueSpread()
    {
    }

    /// <summary>How the next candidate position is found: a vectorized multi-string search for tens to a thousand forms over 64 KB or more of bodies, else a rolling hash of the first 6 characters against a bitmap (a few forms or small bodies: the search structure would cost more to build than to scan; thousands: it would cost milliseconds).</summary>
    private enum Mode
    {
        Search,
        Hashed,
    }

    /// <summary>How a value is written where it was found: the replacement is written the same way.</summary>
    private enum Form
    {
        Raw,
        Json,
        Percent,
        FormEncoded,
        Xml,
    }

    /// <summary>The context of a part: how a raw occurrence's replacement must be encoded to keep the part valid.</summary>
    private enum Context
    {
        Text,
        JsonString,
        Url,
        Form,
        Xml,
    }

    /// <summary>
    /// True when a redacted value is unambiguous enough to be replaced elsewhere: at least <see cref="MinLength"/>
    /// characters (so at least 6 digits when it has no letters), at least two different letters or digits, not
    /// already a redaction output, and at most 4 KB.
    /// </summary>
    public static bool Qualifies(string value)
    {
        if (value.Length < MinLength || value.Length > MaxLength)
        {
            return false;
        }

        var alnum = 0;
        char first = '\0';
        var distinct = false;
        foreach (var c in value)
        {
            char lower;
            if (c < 0x80)
            {
                if (!char.IsAsciiLetterOrDigit(c))
                {
                    continue;
                }

                lower = (char)(c | 0x20); // ASCII letters lower-cased; digits already have the bit
            }
            else if (char.IsLetterOrDigit(c))
            {
                lower = char.ToLowerInvariant(c);
            }
            else
            {
                continue;
            }

            alnum++;
            if (first == '\0')
            {
                first = lower;
            }
            else if (lower != first)
            {
                distinct = true;
            }

            if (distinct && alnum >= MinLength)
            {
                // The rest of the value cannot change the answer (both counts only grow).
                break;
            }
        }

        // "12-3-4" has 4 digits; "******" and "000000" say nothing. With six letters or digits a value is never a mask
        // (TokenFormat.IsRedactedOutput allows at most four kept), so only the token shape is left to check.
        return alnum >= MinLength && distinct && !TokenFormat.IsToken(value);
    }

    /// <summary>The pass for a session's redacted values (this thread's instance); null when there are none to spread. Call <see cref="Clear"/> after <see cref="Apply"/>.</summary>
    /// <param name="session">The session whose redacted values spread.</param>
    /// <param name="bodyBytes">How many body bytes the exchange holds: a vectorized search pays for building only over large bodies.</param>
    public static ValueSpread? Create(RedactionSession session, long bodyBytes)
    {
        if (session.SpreadValues is not { Count: > 0 } list)
        {
            return null;
        }

        if (session.HasKept)
        {
            // A value a rule kept in one place is not rewritten there from another (see RedactionSession.NoteKept).
            list.RemoveAll(v => session.IsKept(v.Original));
            if (list.Count == 0)
            {
                return null;
            }
        }

        var spread = t_instance ??= new ValueSpread();
        spread.Reset(session, list, bodyBytes);
        return spread;
    }

    /// <summary>Drops every reference to the exchange's values (the instance is kept for the next exchange on this thread).</summary>
    public void Clear()
    {
        _values.Clear();
        _replacements.Clear();
        _replaced.Clear();
        _rules.Clear();
        _variants.Clear();
        _exact.Clear();
        _prefixes.Clear();
        _lengths.Clear();
        _hits.Clear();
        _fewLower.Clear();
        _anchors.Clear();
        _anchorEnds.Clear();
        _pending = null;
        _built = false;
        _inBase64 = null;
        if (_foldedChars.Length > 64 * 1024)
        {
            _foldedChars = new char[1024];
        }
        _search = null;
        _session = null!;
        if (_bitsReady)
        {
            Array.Clear(_bits, 0, Math.Max(1, (1 << _bitsLog2) / 64));
            _bitsReady = false;
        }

        _mode = Mode.Hashed;
    }

    private void Reset(RedactionSession session, List<SpreadValue> list, long bodyBytes)
    {
        _session = session;
        _pending = list;
        _bodyBytes = bodyBytes;
        if (list.Count > FewGated)
        {
            // Many values: one search per anchor and part would cost more than the tables' single pass.
            Build();
            return;
        }

        foreach (var value in list)
        {
            if (!AddAnchors(value.Original))
            {
                // A value without a run of three ASCII letters or digits cannot be ruled out cheaply.
                Build();
                return;
            }
        }

        LayOutAnchors();
    }

    /// <summary>
    /// Records up to three of the value's longest runs of ASCII letters and digits (at least 3 characters): every form
    /// of the value (raw, JSON-, percent-, form- and XML-encoded) writes those characters as they are, so a part that
    /// lacks one of them (compared as <see cref="StringComparison.OrdinalIgnoreCase"/>, like the full search) cannot hold
    /// the value. False when the value has no such run.
    /// </summary>
    private bool AddAnchors(string value)
    {
        var first = _anchors.Count;
        var i = 0;
        while (AsciiRuns.Next(value, ref i, out var start, out var length))
        {
            if (length < 3)
            {
                continue;
            }

            if (_anchors.Count - first < 3)
            {
                _anchors.Add((value, start, length));
                continue;
            }

            // Keep the three longest: replace the shortest kept run when this one is longer.
            var shortest = first;
            for (var k = first + 1; k < _anchors.Count; k++)
            {
                if (_anchors[k].Length < _anchors[shortest].Length)
                {
                    shortest = k;
                }
            }

            if (length > _anchors[shortest].Length)
            {
                _anchors[shortest] = (value, start, length);
            }
        }

        if (_anchors.Count == first)
        {
            return false;
        }

        // Longest (rarest) first: most parts are ruled out by the first search.
        // At most three: an insertion sort (stable, as the library's sort is for so few elements) without a comparison delegate.
        var kept = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_anchors)[first..];
        for (var k = 1; k < kept.Length; k++)
        {
            var anchor = kept[k];
            var j = k - 1;
            for (; j >= 0 && kept[j].Length < anchor.Length; j--)
            {
                kept[j + 1] = kept[j];
            }

            kept[j + 1] = anchor;
        }

        _anchorEnds.Add(_anchors.Count);
        return true;
    }

    /// <summary>Lays the anchors out lower-cased, as chars and as (ASCII) bytes, for ordinal searches.</summary>
    private void LayOutAnchors()
    {
        var total = 0;
        foreach (var (_, _, length) in _anchors)
        {
            total += length;
        }

        if (_anchorChars.Length < total)
        {
            _anchorChars = new char[total];
            _anchorBytes = new byte[total];
        }

        var at = 0;
        foreach (var (value, start, length) in _anchors)
        {
            AsciiFold.ToLower(value.AsSpan(start, length), _anchorChars.AsSpan(at, length));
            at += length;
        }

        // Anchors are ASCII letters and digits: narrowed to bytes in one vectorized pass.
        System.Text.Ascii.FromUtf16(_anchorChars.AsSpan(0, total), _anchorBytes, out _);
    }

    /// <summary>True when the text may hold a value (the tables are then built); false when some anchor of every value is missing.</summary>
    private bool Gate(ReadOnlySpan<char> text)
    {
        if (_built)
        {
            return true;
        }

        if (text.Length < MinLength)
        {
            return false;
        }

        if (AsciiFold.HasAsciiFolding(text))
        {
            Build();
            return true;
        }

        if (_foldedChars.Length < text.Length)
        {
            _foldedChars = new char[Math.Max(text.Length, _foldedChars.Length * 2)];
        }

        var folded = _foldedChars.AsSpan(0, text.Length);
        AsciiFold.ToLower(text, folded);
        if (AnyValueAnchored<char>(folded, _anchorChars))
        {
            Build();
            return true;
        }

        return false;
    }

    /// <summary><see cref="Gate(ReadOnlySpan{char})"/> over UTF-8 bytes, valid or not: ASCII bytes decode to themselves both as UTF-8 and as Latin-1.</summary>
    private bool Gate(ReadOnlySpan<byte> bytes)
    {
        if (_built)
        {
            return true;
        }

        if (bytes.Length < MinLength)
        {
            return false;
        }

        if (AsciiFold.HasAsciiFolding(bytes))
        {
            Build();
            return true;
        }

        if (_foldedBytes.Length < bytes.Length)
        {
            _foldedBytes = new byte[Math.Max(bytes.Length, _foldedBytes.Length * 2)];
        }

        var folded = _foldedBytes.AsSpan(0, bytes.Length);
        AsciiFold.ToLower(bytes, folded);
        var any = AnyValueAnchored<byte>(folded, _anchorBytes);
        if (_foldedBytes.Length > 1024 * 1024)
        {
            _foldedBytes = new byte[1024];
        }

        if (any)
        {
            Build();
            return true;
        }

        return false;
    }

    /// <summary>True when, for some value, every one of its (lower-cased) anchors occurs in the lower-cased text.</summary>
    private bool AnyValueAnchored<T>(ReadOnlySpan<T> folded, T[] anchors)
        where T : IEquatable<T>
    {
        var start = 0;
        var offset = 0;
        foreach (var end in _anchorEnds)
        {
            var all = true;
            var at = offset;
            for (var k = start; k < end; k++)
            {
                var length = _anchors[k].Length;
                if (all && folded.IndexOf(anchors.AsSpan(at, length)) < 0)
                {
                    all = false;
                }

                at += length;
            }

            if (all)
            {
                return true;
            }

            start = end;
            offset = at;
        }

        return false;
    }

    /// <summary>The search tables over every value and its encoded forms.</summary>
    private void Build()
    {
        _built = true;
        var list = _pending!;
        var bodyBytes = _bodyBytes;
        foreach (var value in list)
        {
            var raw = value.Original;
            if (!AddVariant(raw, _values.Count, Form.Raw))
            {
                continue; // the same value (any case) again: the first redaction's replacement is used
            }

            var index = _values.Count;
            _values.Add(value);
            _replacements.Add(null);
            _rules.Add(null);
            _forms.Clear();
            EncodedForms(raw, _forms);
            foreach (var (text, form) in _forms)
            {
                AddVariant(text, index, form);
            }
        }

        _lengths.Sort(static (a, b) => b.CompareTo(a));
        _fewLower.Clear();
        if (_variants.Count <= FewVariants)
        {
            foreach (var (text, _, _) in _variants)
            {
                if (!System.Text.Ascii.IsValid(text))
                {
                    _fewLower.Clear();
                    break;
                }

                _fewLower.Add(text.ToLowerInvariant());
            }
        }

        if (_variants.Count is > 8 and <= 1024 && bodyBytes >= 64 * 1024)
        {
            _mode = Mode.Search;
            var texts = new string[_variants.Count];
            for (var i = 0; i < texts.Length; i++)
            {
                texts[i] = _variants[i].Text;
            }

            _search = SearchValues.Create(texts, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            // The filter is built on first use: the usual few ASCII values in ASCII text never need it.
            _mode = Mode.Hashed;
            _bitsReady = false;
        }
    }

    /// <summary>The rolling-hash filter over every variant's first <see cref="MinLength"/> characters.</summary>
    private void EnsureBits()
    {
        if (_bitsReady)
        {
            return;
        }

        // About 32 bits per value: a position passes the filter by chance about 3 % of the time.
        _bitsLog2 = Math.Clamp(BitOperations.Log2((uint)_variants.Count) + 6, 12, 24);
        var words = (1 << _bitsLog2) / 64;
        if (_bits.Length < words)
        {
            _bits = new ulong[words];
        }

        foreach (var (text, _, _) in _variants)
        {
            var bit = Bit(PrefixHash(text));
            _bits[bit >> 6] |= 1UL << (bit & 63);
        }

        _bitsReady = true;
    }

    private int Bit(ulong hash) => (int)((hash * 0x9E3779B97F4A7C15UL) >> (64 - _bitsLog2));

    private static ulong Pow(ulong x, int n)
    {
        var result = 1UL;
        for (var i = 0; i < n; i++)
        {
            result *= x;
        }

        return result;
    }

    /// <summary>Case-folded as <see cref="StringComparison.OrdinalIgnoreCase"/> compares (upper-invariant).</summary>
    internal static char Fold(char c) => c < 0x80 ? (c is >= 'a' and <= 'z' ? (char)(c - 32) : c) : char.ToUpperInvariant(c);

    internal static ulong PrefixHash(ReadOnlySpan<char> text)
    {
        var hash = 0UL;
        for (var i = 0; i < MinLength; i++)
        {
            hash = (hash * HashPrime) + Fold(text[i]);
        }

        return hash;
    }

    private bool AddVariant(string text, int value, Form form)
    {
        if (!_exact.TryAdd(text, _variants.Count))
        {
            return false;
        }

        _variants.Add((text, value, form));
        _prefixes.Add(PrefixHash(text));
        if (!_lengths.Contains(text.Length))
        {
            _lengths.Add(text.Length);
        }

        return true;
    }

    /// <summary>The next position at or after <paramref name="from"/> where a value may start (-1: none); <see cref="TryMatch"/> confirms.</summary>
    private int Candidate(ReadOnlySpan<char> text, int from)
    {
        if (text.Length - from < MinLength)
        {
            return -1;
        }

        if (_fewLower.Count > 0 && text.Length - from <= FewTextLimit && System.Text.Ascii.IsValid(text[from..]))
        {
            // ASCII text and ASCII values: ASCII case folding is exactly the ordinal-ignore-case match TryMatch makes.
            return FewCandidate(text, from);
        }

        switch (_mode)
        {
            case Mode.Search:
                var hit = text[from..].IndexOfAny(_search!);
                return hit < 0 ? -1 : from + hit;
            default:
                EnsureBits();
                var hash = PrefixHash(text[from..]);
                var bits = _bits;
                for (var i = from; ; i++)
                {
                    var bit = Bit(hash);
                    if ((bits[bit >> 6] & (1UL << (bit & 63))) != 0)
                    {
                        return i;
                    }

                    if (i + MinLength >= text.Length)
                    {
                        return -1;
                    }

                    hash = ((hash - (Fold(text[i]) * P5)) * HashPrime) + Fold(text[i + MinLength]);
                }
        }
    }

    private int FewCandidate(ReadOnlySpan<char> text, int from)
    {
        var slice = text[from..];
        if (_lowered.Length < slice.Length)
        {
            _lowered = new char[Math.Max(slice.Length, _lowered.Length * 2)];
        }

        var lowered = _lowered.AsSpan(0, slice.Length);
        System.Text.Ascii.ToLower(slice, lowered, out _);
        var first = -1;
        foreach (var value in _fewLower)
        {
            var at = lowered.IndexOf(value, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }

        return first < 0 ? -1 : from + first;
    }

    /// <summary>The first standalone occurrence at or after <paramref name="from"/>; -1 when there is none.</summary>
    private int Find(ReadOnlySpan<char> text, int from, out int variant, out int length)
    {
        while (true)
        {
            var candidate = Candidate(text, from);
            if (candidate < 0)
            {
                variant = -1;
                length = 0;
                return -1;
            }

            if (TryMatch(text, candidate, out variant, out length))
            {
                return candidate;
            }

            from = candidate + 1;
        }
    }

    /// <summary>Runs the pass over every part of an exchange (after the normal pass rewrote it).</summary>
    public void Apply(ref ExchangeRequest request, ref ExchangeResponse? response, ref ImmutableArray<WebSocketMessage> messages, ref ImmutableSortedDictionary<string, string> tags, ref ExchangeError? error)
    {
        var url = Rewrite(request.Url, Context.Url, "request.url") ?? request.Url;
        var headers = Headers(request.Headers, "request.header");
        var (body, headers2) = Body(request.Body, headers, "request.body");
        if (!ReferenceEquals(url, request.Url) || headers2 != request.Headers || !ReferenceEquals(body, request.Body))
        {
            request = request with { Url = url, Headers = headers2, Body = body };
        }

        if (response is not null)
        {
            var responseHeaders = Headers(response.Headers, "response.header");
            var (responseBody, responseHeaders2) = Body(response.Body, responseHeaders, "response.body");
            var trailers = Headers(response.Trailers, "response.trailer");
            if (responseHeaders2 != response.Headers || !ReferenceEquals(responseBody, response.Body) || trailers != response.Trailers)
            {
                response = response with { Headers = responseHeaders2, Body = responseBody, Trailers = trailers };
            }
        }

        if (!messages.IsDefaultOrEmpty)
        {
            ImmutableArray<WebSocketMessage>.Builder? changed = null;
            for (var i = 0; i < messages.Length; i++)
            {
                var message = messages[i];
                var location = "messages[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
                var (payload, _) = Body(message.Payload, [], location + ".payload");
                var reason = message.CloseReason is { } text ? Rewrite(text, Context.Text, location + ".reason") ?? text : null;
                if (!ReferenceEquals(payload, message.Payload) || !ReferenceEquals(reason, message.CloseReason))
                {
                    changed ??= messages.ToBuilder();
                    changed[i] = message with { Payload = payload, CloseReason = reason };
                }
            }

            if (changed is not null)
            {
                messages = changed.ToImmutable();
            }
        }

        if (!tags.IsEmpty)
        {
            foreach (var (name, value) in tags)
            {
                // Gated before the location string is built (a tag rarely holds a value).
                if (value.Length >= MinLength && Gate(value) && Rewrite(value, Context.Text, "tag:" + name) is { } rewritten)
                {
                    tags = tags.SetItem(name, rewritten);
                }
            }
        }

        if (error is not null && Rewrite(error.Message, Context.Text, "error") is { } message2)
        {
            error = error with { Message = message2 };
        }
    }

    private ImmutableArray<HeaderField> Headers(ImmutableArray<HeaderField> headers, string prefix)
    {
        if (headers.IsDefaultOrEmpty)
        {
            return headers;
        }

        var result = headers;
        for (var i = 0; i < headers.Length; i++)
        {
            var header = headers[i];
            if (header.Value.Length < MinLength)
            {
                continue;
            }

            var name = _session.Model.HeaderNameOf(header.Name);
            var lower = name.Lower;
            var isUrl = name.IsUrl;
            if ((!isUrl && name.Allowed) || !Gate(header.Value) || Find(header.Value, 0, out _, out _) < 0)
            {
                // Protocol headers the policy never touches (content-type, host…) stay exact.
                continue;
            }

            var rewritten = lower is "cookie" or "set-cookie"
                ? CookieValues(header.Value, setCookie: lower == "set-cookie", prefix + ":" + lower)
                : Rewrite(header.Value, isUrl ? Context.Url : Context.Text, prefix + ":" + lower);
            if (rewritten is { } value)
            {
                result = result.SetItem(i, header with { Value = value });
            }
        }

        return result;
    }

    private (ExchangeBody? Body, ImmutableArray<HeaderField> Headers) Body(ExchangeBody? body, ImmutableArray<HeaderField> headers, string location)
    {
        if (body is null || body.Content.Length < MinLength)
        {
            return (body, headers);
        }

        // A value inside base64 text is not in the bytes: such a body is walked whole (no hits to skip by).
        var inBase64 = InBase64();
        if (!MayContain(body.Content.Span) && !inBase64)
        {
            return (body, headers);
        }

        byte[]? content;
        try
        {
            var mediaType = body.MediaType ?? (headers.IsDefault ? null : headers.Get("content-type")) ?? string.Empty;
            // The pass only reads the content (every rewrite goes to a new array): use the body's own array when it is one.
            var bytes = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body.Content, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : body.Content.ToArray();
            content = Content(bytes, AsciiFold.LowerInvariant(mediaType), body.Truncated, location, inBase64 ? null : _hits);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Fail closed: a body the pass could not process may still hold a raw value: it is not stored.
            _session.RecordSpread(location, "redaction-error", ActionSpec.Drop, DataKind.Generic, string.Empty);
            var dropped = body with { Content = ReadOnlyMemory<byte>.Empty, Size = 0, Truncated = false, Note = $"dropped: redaction failed ({ex.GetType().Name})" };
            return (dropped, headers.IsDefault ? headers : BodyRedactor.FixHeaders(headers, 0));
        }

        if (content is null)
        {
            return (body, headers);
        }

        var newBody = body with { Content = content, Size = body.Truncated ? body.Size : content.Length };
        return (newBody, body.Truncated || headers.IsDefault ? headers : BodyRedactor.FixHeaders(headers, content.Length));
    }

    /// <summary>True when a value stands alone in the text of a base64 string the normal pass decoded (<see cref="RedactionSession.Base64Texts"/>).</summary>
    private bool InBase64()
    {
        if (_inBase64 is { } known)
        {
            return known;
        }

        var found = false;
        if (_session.Base64Texts is { } texts)
        {
            foreach (var text in texts)
            {
                if (Gate(text) && Find(text, 0, out _, out _) >= 0)
                {
                    found = true;
                    break;
                }
            }
        }

        _inBase64 = found;
        return found;
    }

    /// <summary>
    /// A JSON string that is base64 of text holding a value: the text with the value replaced, encoded again the same way
    /// (alphabet and padding) and quoted; null when it is not base64 of text or holds none.
    /// </summary>
    private string? Base64String(ref Utf8JsonReader reader, string location)
    {
        var raw = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(JsonStrings.Read(ref reader)) : reader.ValueSpan;
        if (Base64Text.TryDecode(raw, out var flavor) is not { } decoded || !Gate(decoded) || Find(decoded, 0, out _, out _) < 0
            || Rewrite(decoded, Context.Text, location) is not { } rewritten)
        {
            return null;
        }

        return "\"" + Base64Text.Encode(rewritten, flavor) + "\"";
    }

    /// <summary>
    /// The fast check: does any value (in any encoding) stand alone in these bytes? Searched as pooled chars
    /// (no allocation); the UTF-8 offsets of the hits are kept in <see cref="_hits"/> for the JSON rewrite.
    /// </summary>
    private bool MayContain(ReadOnlySpan<byte> bytes)
    {
        _hits.Clear();
        if (!Gate(bytes))
        {
            return false;
        }

        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            // Invalid UTF-8 becomes U+FFFD (one char per byte at most): ASCII values are still found, and binary
            // bodies are searched again byte for byte (Latin-1) below.
            var count = Encoding.UTF8.GetChars(bytes, chars);
            var text = chars.AsSpan(0, count);
            var charPosition = 0;
            var bytePosition = 0;
            for (var hit = Find(text, 0, out _, out var length); hit >= 0; hit = Find(text, hit + length, out _, out length))
            {
                bytePosition += Encoding.UTF8.GetByteCount(text[charPosition..hit]);
                charPosition = hit;
                _hits.Add(bytePosition);
            }

            if (_hits.Count > 0)
            {
                return true;
            }

            if (System.Text.Unicode.Utf8.IsValid(bytes))
            {
                return false;
            }

            count = Encoding.Latin1.GetChars(bytes, chars);
            return Find(chars.AsSpan(0, count), 0, out _, out _) >= 0;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Rewrites a body's bytes by its kind; null when nothing changed.</summary>
    private byte[]? Content(byte[] content, string type, bool truncated, string location, List<int>? hits = null)
    {
        if (IppBodyRedactor.IsIpp(type))
        {
            // Length-prefixed attributes, often valid UTF-8: rewritten as text, a token longer than the value it replaces
            // left every length after it wrong (a user name found again in a job name broke the message). Byte for byte.
            return Binary(content, location);
        }

        if (!System.Text.Unicode.Utf8.IsValid(content))
        {
            var textLength = truncated ? Core.Text.Utf8Cut.TextLength(content) : -1;
            if (textLength > 0 && textLength < content.Length)
            {
                // Cut inside the last character: rewrite the text, keep the partial bytes.
                var head = Content(content[..textLength], type, truncated, location);
                return head is null ? null : [.. head, .. content.AsSpan(textLength)];
            }

            if (BodyRedactor.IsTextMediaType(type) && LosslessText.TryDecode(content, type, out var text, out var encode))
            {
                var inner = Content(Encoding.UTF8.GetBytes(text), type, truncated, location);
                return inner is null ? null : encode(Encoding.UTF8.GetString(inner));
            }

            return Binary(content, location);
        }

        switch (BodyRedactor.Classify(type, content))
        {
            case BodyRedactor.BodyKind.Json when !truncated:
                try
                {
                    return Json(content, location, hits);
                }
                catch (JsonException)
                {
                    // Not JSON after all: searched as text below (the normal pass scanned it as text too).
                }

                break;
            case BodyRedactor.BodyKind.Xml:
                return Utf8(Xml(Encoding.UTF8.GetString(content), location));
            case BodyRedactor.BodyKind.Form:
                return Utf8(Rewrite(Encoding.UTF8.GetString(content), Context.Form, location));
        }

        return Utf8(Rewrite(Encoding.UTF8.GetString(content), Context.Text, location));
    }

    private static byte[]? Utf8(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);

    /// <summary>JSON: occurrences inside string values are replaced (escaped as JSON); a number equal to a value gets digits; keys are left alone.</summary>
    private byte[]? Json(byte[] content, string location, List<int>? hits)
    {
        var offset = content.AsSpan().StartsWith("\xEF\xBB\xBF"u8) ? 3 : 0;
        var reader = new Utf8JsonReader(content.AsSpan(offset), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowMultipleValues = true });
        List<(int Start, int Length, byte[] Bytes)>? edits = null;
        char[]? buffer = null;
        var nextHit = 0; // hits before this index lie before the current token
        Span<char> digits = stackalloc char[64];
        try
        {
            while (reader.Read())
            {
                var raw = reader.ValueSpan;
                if (raw.Length < MinLength || reader.HasValueSequence)
                {
                    continue;
                }

                var start = (int)reader.TokenStartIndex + offset;
                if (hits is not null)
                {
                    // Only tokens the fast check found a value in are decoded.
                    while (nextHit < hits.Count && hits[nextHit] < start)
                    {
                        nextHit++;
                    }

                    if (nextHit >= hits.Count)
                    {
                        break;
                    }

                    if (hits[nextHit] >= start + raw.Length + 2)
                    {
                        continue;
                    }
                }

                // Keys too: a map keyed by a redacted customer id ({"C-1234567": …}) would otherwise keep the id.
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    if (buffer is null || buffer.Length < raw.Length)
                    {
                        if (buffer is not null)
                        {
                            ArrayPool<char>.Shared.Return(buffer);
                        }

                        buffer = ArrayPool<char>.Shared.Rent(raw.Length);
                    }

                    var count = Encoding.UTF8.GetChars(raw, buffer);
                    if (Find(buffer.AsSpan(0, count), 0, out _, out _) < 0)
                    {
                        if (_inBase64 == true && reader.TokenType == JsonTokenType.String && raw.Length >= Base64Text.MinLength
                            && Base64String(ref reader, location) is { } encoded)
                        {
                            (edits ??= []).Add((start, raw.Length + 2, Encoding.UTF8.GetBytes(encoded)));
                        }

                        continue;
                    }

                    if (reader.TokenType == JsonTokenType.PropertyName && _session.IsCandidateField(FieldNames.Normalize(buffer.AsSpan(0, count)), string.Empty))
                    {
                        // A member name a detector reads ("username", "email") is the schema's, not a value that was redacted.
                        continue;
                    }

                    // The raw (still escaped) string content is rewritten: what is not replaced stays byte for byte.
                    if (Rewrite(new string(buffer, 0, count), Context.JsonString, location) is { } rewritten)
                    {
                        var bytes = Encoding.UTF8.GetBytes("\"" + rewritten + "\"");
                        (edits ??= []).Add((start, raw.Length + 2, bytes));
                    }
                }
                else if (reader.TokenType == JsonTokenType.Number && raw.Length <= 64)
                {
                    var chars = digits[..Encoding.UTF8.GetChars(raw, digits)];
                    if (TryMatch(chars, 0, out var variant, out var matched) && matched == chars.Length)
                    {
                        var number = new string(chars);
                        var replacement = NumberReplacement(_variants[variant].Value, number);
                        Recorded(_variants[variant].Value, location);
                        (edits ??= []).Add((start, raw.Length, Encoding.UTF8.GetBytes(replacement)));
                    }
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }

        if (edits is null)
        {
            return null;
        }

        var size = content.Length;
        foreach (var (_, length, bytes) in edits)
        {
            size += bytes.Length - length;
        }

        var output = new byte[size];
        var position = 0;
        var written = 0;
        foreach (var (start, length, bytes) in edits)
        {
            content.AsSpan(position, start - position).CopyTo(output.AsSpan(written));
            written += start - position;
            bytes.CopyTo(output.AsSpan(written));
            written += bytes.Length;
            position = start + length;
        }

        content.AsSpan(position).CopyTo(output.AsSpan(written));
        return output;
    }

    /// <summary>A JSON number stays a number: the value's own replacement when it is digits, else the digits redaction gives that number.</summary>
    private string NumberReplacement(int value, string number)
    {
        var replacement = Replacement(value);
        if (replacement.Length > 0 && replacement.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0 && (replacement[0] != '0' || replacement.Length == 1))
        {
            return replacement;
        }

        var spec = _values[value];
        return spec.Action.Action is RedactionAction.Drop or RedactionAction.Keep
            ? Masker.MaskNumber(number, 0)
            : _session.Rewriter.ApplyNumber(number, spec.Kind, spec.Action, _session.Tokens) ?? Masker.MaskNumber(number, 0);
    }

    /// <summary>XML: text, attribute values, comments and CDATA are searched; element and attribute names, declarations and processing instructions are not.</summary>
    private string? Xml(string text, string location)
    {
        StringBuilder? output = null;
        var position = 0; // copied up to here
        var i = 0;
        while (i < text.Length)
        {
            var lt = text.IndexOf('<', i);
            var end = lt < 0 ? text.Length : lt;
            Region(text, i, end, Context.Xml, location, ref output, ref position);
            if (lt < 0)
            {
                break;
            }

            if (At(text, lt, "<!--"))
            {
                var close = Close(text, lt + 4, "-->");
                Region(text, lt + 4, close, Context.Xml, location, ref output, ref position);
                i = Math.Min(text.Length, close + 3);
            }
            else if (At(text, lt, "<![CDATA["))
            {
                var close = Close(text, lt + 9, "]]>");
                Region(text, lt + 9, close, Context.Text, location, ref output, ref position);
                i = Math.Min(text.Length, close + 3);
            }
            else if (At(text, lt, "<?") || At(text, lt, "<!"))
            {
                var close = text.IndexOf('>', lt);
                i = close < 0 ? text.Length : close + 1;
            }
            else
            {
                // A tag: attribute values (between quotes) are searched, names are not.
                var j = lt + 1;
                while (j < text.Length && text[j] != '>')
                {
                    if (text[j] is '"' or '\'')
                    {
                        var quote = text[j];
                        var close = text.IndexOf(quote, j + 1);
                        if (close < 0)
                        {
                            close = text.Length;
                        }

                        Region(text, j + 1, close, Context.Xml, location, ref output, ref position);
                        j = close + 1;
                    }
                    else
                    {
                        j++;
                    }
                }

                i = Math.Min(text.Length, j + 1);
            }
        }

        if (output is null)
        {
            return null;
        }

        output.Append(text, position, text.Length - position);
        return output.ToString();
    }

    private static bool At(string text, int index, string prefix) => text.AsSpan(index).StartsWith(prefix, StringComparison.Ordinal);

    private static int Close(string text, int from, string marker)
    {
        var close = from <= text.Length ? text.IndexOf(marker, from, StringComparison.Ordinal) : -1;
        return close < 0 ? text.Length : close;
    }

    private void Region(string text, int start, int end, Context context, string location, ref StringBuilder? output, ref int position)
    {
        if (end - start < MinLength)
        {
            return;
        }

        var region = text[start..end];
        if (Rewrite(region, context, location) is { } rewritten)
        {
            output ??= new StringBuilder(text.Length + 64);
            output.Append(text, position, start - position).Append(rewritten);
            position = end;
        }
    }

    /// <summary>Binary bodies: ASCII occurrences are masked in place, byte for byte (framing and lengths do not move).</summary>
    private byte[]? Binary(byte[] content, string location)
    {
        var text = Encoding.Latin1.GetString(content);
        byte[]? output = null;
        for (var hit = Find(text, 0, out var variant, out var length); hit >= 0; hit = Find(text, hit + length, out variant, out length))
        {
            output ??= (byte[])content.Clone();
            output.AsSpan(hit, length).Fill((byte)'*');
            Recorded(_variants[variant].Value, location);
        }

        return output;
    }

    /// <summary>Replaces every standalone occurrence in one piece of text; null when there is none.</summary>
    private string? Rewrite(string text, Context context, string location)
    {
        if (text.Length < MinLength || !Gate(text))
        {
            return null;
        }

        StringBuilder? output = null;
        var copied = 0;
        for (var hit = Find(text, 0, out var variant, out var length); hit >= 0; hit = Find(text, hit + length, out variant, out length))
        {
            var (value, form) = (_variants[variant].Value, _variants[variant].Form);
            if (context == Context.Url && _values[value].Kind == DataKind.PersonName && IsPathSegment(text, hit, length)
                && !text.AsSpan(hit, length).ContainsAny(' ', '+', '%') && !SameIgnoringEscapes(text.Substring(hit, length), _variants[variant].Text))
            {
                // A one-word path segment equal to a name only ignoring case (/alice/contacts/ after a WebDAV collection
                // was given the display name "Contacts") is a resource, not that person: rewriting it sent the replay to
                // another URL. A name written as it was found, a name of several words and a query value (a search typed
                // in lower case: ?q=maria%20gonzalez) are still replaced.
                continue;
            }

            output ??= new StringBuilder(text.Length + 32);
            output.Append(text, copied, hit - copied).Append(Encode(Replacement(value), form, context));
            Recorded(value, location);
            copied = hit + length;
        }

        if (output is null)
        {
            return null;
        }

        output.Append(text, copied, text.Length - copied);
        return output.ToString();
    }

    /// <summary>
    /// A <c>Cookie</c> header with each cookie's value rewritten and its name left as it is, or a <c>Set-Cookie</c> with only
    /// its value rewritten: a name is the application's key (Jupyter's <c>username-127-0-0-1-7821</c> lost its first word to a
    /// carried account id). Null when nothing changed.
    /// </summary>
    private string? CookieValues(string header, bool setCookie, string location) =>
        CookiePairs.RewriteValues(header, setCookie, nameless: false, (self: this, location), static (s, _, v) => s.self.Rewrite(v, Context.Text, s.location));

    /// <summary>True when <c>text[hit..hit+length]</c> is a whole segment of the URL's path (not of its query or fragment).</summary>
    private static bool IsPathSegment(string text, int hit, int length)
    {
        var end = hit + length;
        var query = text.AsSpan(0, hit).IndexOfAny('?', '#');
        return query < 0 && hit > 0 && text[hit - 1] == '/' && (end == text.Length || text[end] is '/' or '?' or '#');
    }

    /// <summary>Equal with case, once percent-escapes (whose hex digits may be of either case) are decoded.</summary>
    private static bool SameIgnoringEscapes(string found, string variant)
    {
        if (string.Equals(found, variant, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            return string.Equals(Uri.UnescapeDataString(found.Replace('+', ' ')), Uri.UnescapeDataString(variant.Replace('+', ' ')), StringComparison.Ordinal);
        }
        catch (UriFormatException)
        {
            return false;
        }
    }

    /// <summary>The longest value (in any form) that starts at <paramref name="index"/> and stands alone there.</summary>
    private bool TryMatch(ReadOnlySpan<char> text, int index, out int variant, out int length)
    {
        variant = -1;
        length = 0;
        if (text.Length - index < MinLength)
        {
            return false;
        }

        if (!_prefixes.Contains(PrefixHash(text[index..])))
        {
            return false;
        }

        var lookup = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var candidate in _lengths)
        {
            if (index + candidate <= text.Length && lookup.TryGetValue(text.Slice(index, candidate), out var v) && Standalone(text, index, candidate))
            {
                variant = v;
                length = candidate;
                break;
            }
        }

        return variant >= 0;
    }

    /// <summary>Not glued to a letter or digit on either side (an escape such as <c>%20</c>, <c>\n</c> or <c>\u00e9</c> before it is a separator).</summary>
    private static bool Standalone(ReadOnlySpan<char> text, int index, int length)
    {
        var end = index + length;
        if (index > 0 && char.IsLetterOrDigit(text[index]) && char.IsLetterOrDigit(text[index - 1]) && !AfterEscape(text, index))
        {
            return false;
        }

        return end >= text.Length || !char.IsLetterOrDigit(text[end - 1]) || !char.IsLetterOrDigit(text[end]);
    }

    private static bool AfterEscape(ReadOnlySpan<char> text, int index) =>
        (index >= 3 && text[index - 3] == '%' && char.IsAsciiHexDigit(text[index - 2]) && char.IsAsciiHexDigit(text[index - 1]))
        || (index >= 2 && text[index - 2] == '\\')
        || (index >= 6 && text[index - 6] == '\\' && text[index - 5] is 'u' or 'U');

    private static string Encode(string replacement, Form form, Context context) => (form, context) switch
    {
        (Form.Json, _) or (Form.Raw, Context.JsonString) => JsonEncodedText.Encode(replacement, Relaxed).ToString(),
        (Form.Percent, _) or (Form.Raw, Context.Url) => Uri.EscapeDataString(replacement).Replace("%2A", "*", StringComparison.Ordinal),
        (Form.FormEncoded, _) or (Form.Raw, Context.Form) => Uri.EscapeDataString(replacement).Replace("%2A", "*", StringComparison.Ordinal).Replace("%20", "+", StringComparison.Ordinal),
        (Form.Xml, _) or (Form.Raw, Context.Xml) => System.Security.SecurityElement.Escape(replacement),
        _ => replacement,
    };

    /// <summary>What the normal pass wrote for the value (recomputed: tokens and fakes are deterministic); a dropped value is masked.</summary>
    /// <summary>
    /// A location with every spread value the pass replaced somewhere swapped for its replacement: a JSON key the pass
    /// rewrote (<c>{"orders":{"C-1234567":{…}}}</c>) is still named raw in the locations the first pass recorded
    /// under it (<c>$.orders['C-1234567'].email</c>), and the redactions list is written to disk.
    /// </summary>
    public string Sanitize(string location)
    {
        foreach (var i in _replaced)
        {
            if (location.Contains(_values[i].Original, StringComparison.OrdinalIgnoreCase))
            {
                location = location.Replace(_values[i].Original, _replacements[i]!, StringComparison.OrdinalIgnoreCase);
            }
        }

        return location;
    }

    /// <summary>True when the pass replaced a value somewhere (only then can a location name one raw).</summary>
    public bool ReplacedAny => _replaced.Count > 0;

    private string Replacement(int value)
    {
        if (_replacements[value] is { } cached)
        {
            return cached;
        }

        var spec = _values[value];
        var replacement = spec.Known
            ? spec.Replacement
            : spec.Action.Action == RedactionAction.Drop ? null : _session.Apply(spec.Original, spec.Kind, spec.Action, spec.SameLength);
        replacement ??= Masker.Mask(spec.Original, DataKind.Generic, 0);
        _replacements[value] = replacement;
        _replaced.Add(value);
        return replacement;
    }

    private void Recorded(int value, string location)
    {
        var spec = _values[value];
        _session.RecordSpread(location, _rules[value] ??= (spec.Carried ? CarriedPrefix : RulePrefix) + spec.Rule, spec.Action, spec.Kind, spec.Original);
    }

    /// <summary>
    /// Every encoded form the pass searches for besides the raw value (JSON-escaped three ways, percent- and
    /// form-encoded, XML-escaped), each only when it differs from the raw one: most values (ids, tokens, ASCII
    /// names) need no escaping. <see cref="CarriedValues"/> searches the same forms.
    /// </summary>
    internal static void EncodedForms(string raw, List<string> forms)
    {
        var list = new List<(string Text, Form Form)>(4);
        EncodedForms(raw, list);
        foreach (var (text, _) in list)
        {
            forms.Add(text);
        }
    }

    private static void EncodedForms(string raw, List<(string Text, Form Form)> forms)
    {
        var (json, url, xml) = Needs(raw);
        if (json)
        {
            forms.Add((JsonEncodedText.Encode(raw, JavaScriptEncoder.Default).ToString(), Form.Json));
            forms.Add((JsonEncodedText.Encode(raw, Relaxed).ToString(), Form.Json));
            forms.Add((AsciiJson(raw), Form.Json));
        }

        if (url)
        {
            var percent = Uri.EscapeDataString(raw);
            forms.Add((percent, Form.Percent));
            if (raw.Contains(' ', StringComparison.Ordinal))
            {
                forms.Add((percent.Replace("%20", "+", StringComparison.Ordinal), Form.FormEncoded));
            }
        }

        if (xml)
        {
            forms.Add((System.Security.SecurityElement.Escape(raw), Form.Xml));
        }
    }

    /// <summary>Which encodings write this value differently from its raw form (JSON: non-ASCII, quotes, backslash, controls and what the default encoder escapes; URLs: anything not unreserved; XML: markup characters).</summary>
    private static (bool Json, bool Url, bool Xml) Needs(string value)
    {
        bool json = false, url = false, xml = false;
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                continue;
            }

            url = true;
            json |= c is < ' ' or > '~' or '"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`';
            xml |= c is '<' or '>' or '&' or '"' or '\'';
        }

        return (json, url, xml);
    }

    /// <summary>JSON as Python writes it by default: non-ASCII as lower-case <c>\uXXXX</c>, nothing else escaped but quotes, backslashes and controls.</summary>
    private static string AsciiJson(string value)
    {
        var sb = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\').Append(c);
            }
            else if (c < 0x20 || c > 0x7E)
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
