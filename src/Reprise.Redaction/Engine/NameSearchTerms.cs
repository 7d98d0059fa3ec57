using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using Reprise.Core.Json;
using Reprise.Core.Model;
using Reprise.Core.Protocols;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Engine;

/// <summary>
/// A person's name typed alone in a search: <c>?search=Watanabe</c>, <c>?filter[name][_contains]=schmidt</c>,
/// <c>?q=gonzalez</c>. The same-value pass replaces a redacted value where it appears whole; a surname alone is not the
/// value, and spreading name words everywhere would turn unrelated text into tokens (a first name "Jordan" and the
/// country). So the words of the names the normal pass redacted (a full name as people write one, or a first or last
/// name from a field that holds one) are looked for in one place only: the request's search terms (query and form values
/// under a key that holds a search, <see cref="IsSearchKey"/>; a JSON body's members named like a search or a filter
/// operator and GraphQL documents' inline search arguments; bodies up to 64 KB), where a word alone is typed. Only a full name's words are kept for the stream's later exchanges; a first or last name alone counts in its
/// own exchange (a <c>firstName</c> "Jordan" must not turn a later <c>?q=jordan</c> on a list of countries into a token).
/// A word of a term (a run of letters, at least <see cref="MinWordLength"/>) equal to one, ignoring
/// case, gets that word's replacement (the name's action applied to the word as the name wrote it, so any case gives
/// one token), recorded at <c>request.url:query.KEY</c>, <c>request.body:form.KEY</c> or the JSON path as <c>same-value:RULE</c>, or <c>carried:RULE</c> for a word
/// from an earlier exchange of the stream. A replaced word of at least six letters is then replaced wherever else the
/// exchange holds it (a search echoed in its answer: "results for gonzalez"), as the same-value pass does.
/// <para>
/// One instance per stream keeps the words of earlier exchanges: at most <see cref="Capacity"/>, the oldest forgotten
/// first; in memory only, never logged or written. Thread-safe (the record pipeline redacts on several threads).
/// </para>
/// </summary>
internal sealed class NameSearchTerms
{
    /// <summary>Shorter words ("Li", "Al") recur in unrelated search terms.</summary>
    public const int MinWordLength = 3;

    /// <summary>The most words a stream keeps.</summary>
    public const int DefaultCapacity = 4096;

    // Fields that hold one word of a name (normalised as FieldNames does): a single word there is a name's word.
    private static readonly FrozenSet<string> PartFields = FrozenSet.Create(
        StringComparer.Ordinal, [.. PersonContext.PersonOnlyNameSuffixes, .. PersonContext.NamePartMembers]);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, RedactedName> _words = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<string> _order = new();

    // One list per thread, reused (cleared by the first name of the next exchange): most exchanges allocate nothing here.
    [ThreadStatic]
    private static List<RedactedName>? t_names;

    public NameSearchTerms(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>
    /// Adds a redacted person's name to <paramref name="names"/> when its words count: a full name
    /// (<see cref="BuiltInDetectors.LooksLikeFullName"/>), or the one word of a value whose field holds a first or last name
    /// (<paramref name="location"/> ends with it). Other names (a display name "Contacts", a login) add nothing.
    /// </summary>
    public static void Note(ref List<RedactedName>? names, string name, string location, string rule, ActionSpec action)
    {
        var full = BuiltInDetectors.LooksLikeFullName(name);
        if (!full && !(IsPartField(location) && IsOneWord(name)))
        {
            return;
        }

        if (names is null)
        {
            names = t_names ??= [];
            names.Clear();
        }

        names.Add(new RedactedName(name, rule, action, full));
    }

    /// <summary>Keeps the words of an exchange's full names for the exchanges after it.</summary>
    public void Remember(List<RedactedName> names)
    {
        lock (_gate)
        {
            var known = _words.GetAlternateLookup<ReadOnlySpan<char>>();
            foreach (var name in names)
            {
                if (!name.Full)
                {
                    continue;
                }

                for (var i = 0; NextWord(name.Name, ref i, out var start, out var length);)
                {
                    if (known.ContainsKey(name.Name.AsSpan(start, length)))
                    {
                        continue;
                    }

                    var word = name.Name.Substring(start, length);
                    _words.Add(word, name with { Name = word });
                    _order.Enqueue(word);
                    if (_order.Count > Capacity)
                    {
                        _words.Remove(_order.Dequeue());
                    }
                }
            }
        }
    }

    /// <summary>The next word of a name from <paramref name="i"/> on: a run of letters of at least <see cref="MinWordLength"/>; false when none is left.</summary>
    private static bool NextWord(string name, ref int i, out int start, out int length)
    {
        while (i < name.Length)
        {
            start = i;
            while (i < name.Length && char.IsLetter(name[i]))
            {
                i++;
            }

            length = i - start;
            i = Math.Max(i, start + 1);
            if (length >= MinWordLength)
            {
                return true;
            }
        }

        start = length = 0;
        return false;
    }

    /// <summary>How many words the stream keeps now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _words.Count;
            }
        }
    }

    private bool TryGet(ReadOnlySpan<char> word, out RedactedName found)
    {
        lock (_gate)
        {
            return _words.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(word, out found);
        }
    }

    /// <summary>
    /// The request with every query value's and form field's name words replaced (see the type); the same instance when
    /// it has neither or nothing changed. <paramref name="own"/> are this exchange's words, <paramref name="stream"/> the
    /// earlier exchanges' (null: none kept).
    /// </summary>
    public static ExchangeRequest Rewrite(ExchangeRequest request, RedactionSession session, List<RedactedName>? own, NameSearchTerms? stream)
    {
        if (own is null && (stream is null || stream.Count == 0))
        {
            return request;
        }

        var url = request.Url;
        var q = url.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            var hash = url.IndexOf('#', q);
            if (RewritePairs(url, q + 1, hash < 0 ? url.Length : hash, "request.url:query.", session, own, stream) is { } rewritten)
            {
                request = request with { Url = rewritten };
            }
        }

        if (request.Body is { Content.Length: > 0 and <= MaxFormBytes, Truncated: false } body && request.Headers.Get("content-type") is { } type
            && type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) && body.IsText
            && body.Text is var form && RewritePairs(form, 0, form.Length, "request.body:form.", session, own, stream) is { } fields)
        {
            request = WithBody(request, body, Encoding.UTF8.GetBytes(fields));
        }
        else if (session.HasJsonSearchTerm && request.Body is { Content.Length: > 0 and <= MaxFormBytes, Truncated: false } json && request.Headers.Get("content-type") is { } jsonType
            && JsonMediaType.Is(jsonType) && RewriteJson(json.Content, session, own, stream) is { } rewrittenJson)
        {
            request = WithBody(request, json, rewrittenJson);
        }

        return request;
    }

    private static ExchangeRequest WithBody(ExchangeRequest request, ExchangeBody body, byte[] content) => request with
    {
        Body = body with { Content = content, Size = content.Length },
        Headers = BodyRedactor.FixHeaders(request.Headers, content.Length),
    };

    /// <summary>The most form or JSON body searched (a search is small; an upload is not one).</summary>
    private const int MaxFormBytes = 64 * 1024;

    /// <summary><c>text[start..end]</c> (<c>a=1&amp;b=2</c>) with its values' name words replaced; null when none.</summary>
    private static string? RewritePairs(string text, int start, int end, string locationPrefix, RedactionSession session, List<RedactedName>? own, NameSearchTerms? stream)
    {
        StringBuilder? output = null;
        var copied = 0;
        for (var at = start; at < end;)
        {
            var amp = text.IndexOf('&', at, end - at);
            var pairEnd = amp < 0 ? end : amp;
            var eq = text.IndexOf('=', at, pairEnd - at);
            if (eq > at && eq + 1 < pairEnd && IsSearchKey(DecodeKey(text[at..eq])) && RewriteValue(text[(eq + 1)..pairEnd], locationPrefix, text[at..eq], session, own, stream) is { } value)
            {
                output ??= new StringBuilder(text.Length + 32);
                output.Append(text, copied, eq + 1 - copied).Append(value);
                copied = pairEnd;
            }

            at = pairEnd + 1;
        }

        return output?.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>A query or form key decoded (<see cref="PercentText"/>); a key with nothing to decode, the usual one, as it is.</summary>
    private static string DecodeKey(string key) => key.AsSpan().IndexOfAny('%', '+') < 0 ? key : PercentText.Decode(key).Text;

    /// <summary>
    /// One query or form value with its name words replaced, each written as the value writes its characters (its charset,
    /// <c>+</c> or <c>%20</c>, hex case) and every other byte of it kept (<see cref="PercentText"/>: a Latin-1
    /// <c>m%FCller</c> is read as <c>müller</c>); null when none is.
    /// </summary>
    private static string? RewriteValue(string raw, string locationPrefix, string rawKey, RedactionSession session, List<RedactedName>? own, NameSearchTerms? stream)
    {
        var decoded = PercentText.Decode(raw);
        List<(int Start, int End, string Replacement)>? edits = null;
        FindWords(decoded.Text, locationPrefix, rawKey, encodedKey: true, session, own, stream, ref edits);
        if (edits is null)
        {
            return null;
        }

        var output = new StringBuilder(raw.Length + 32);
        var copied = 0;
        foreach (var (start, end, replacement) in edits)
        {
            var rawStart = decoded.RawIndex(start);
            output.Append(raw, copied, rawStart - copied);
            decoded.AppendEncoded(output, replacement);
            copied = decoded.RawIndex(end);
        }

        return output.Append(raw, copied, raw.Length - copied).ToString();
    }

    /// <summary>
    /// A text with each word (a run of letters) equal to a name's word replaced by that word's replacement and recorded at
    /// <paramref name="locationPrefix"/> + <paramref name="key"/> (decoded first when <paramref name="encodedKey"/>); null when none is.
    /// </summary>
    internal static string? RewriteWords(string text, string locationPrefix, string key, bool encodedKey, RedactionSession session, List<RedactedName>? own, NameSearchTerms? stream)
    {
        List<(int Start, int End, string Replacement)>? edits = null;
        FindWords(text, locationPrefix, key, encodedKey, session, own, stream, ref edits);
        if (edits is null)
        {
            return null;
        }

        var output = new StringBuilder(text.Length + 32);
        var copied = 0;
        foreach (var (start, end, replacement) in edits)
        {
            output.Append(text, copied, start - copied).Append(replacement);
            copied = end;
        }

        return output.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The words of <paramref name="text"/> equal to a name's word, in order, with their replacements (recorded as <see cref="RewriteWords"/> says).</summary>
    private static void FindWords(string text, string locationPrefix, string key, bool encodedKey, RedactionSession session, List<RedactedName>? own, NameSearchTerms? stream, ref List<(int Start, int End, string Replacement)>? edits)
    {
        string? location = null;
        for (var i = 0; i < text.Length;)
        {
            var start = i;
            // A run of letters, digits and '_': a redaction token (tok_name_…) is one and is left whole; in any other, '_'
            // separates words as '-' and '.' do (a user name typed in a search: maria_gonzalez).
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            var end = i;
            i = Math.Max(i, start + 1);
            if (end - start < MinWordLength || TokenFormat.IsToken(text.AsSpan(start, end - start)))
            {
                continue;
            }

            for (var from = start; from < end; from++)
            {
                var wordStart = from;
                while (from < end && text[from] != '_')
                {
                    from++;
                }

                if (from - wordStart >= MinWordLength && IsLetters(text.AsSpan(wordStart, from - wordStart))
                    && Find(text.AsSpan(wordStart, from - wordStart), session, own, stream) is var (word, carried) && word.Name is not null)
                {
                    location ??= locationPrefix + (encodedKey ? DecodeKey(key) : key);
                    var rule = (carried ? "carried:" : "same-value:") + word.Rule;
                    var replacement = (word.Action.Action == RedactionAction.Drop ? null : session.Apply(word.Name, DataKind.PersonName, word.Action))
                        ?? Masker.Mask(word.Name, DataKind.Generic, 0);
                    session.RecordSpread(location, rule, word.Action, DataKind.PersonName, word.Name);
                    session.AddSpreadValue(word.Name, word.Rule, word.Action, DataKind.PersonName); // its echoes in this exchange (the answer)
                    (edits ??= []).Add((wordStart, from, replacement));
                }
            }
        }
    }

    /// <summary>
    /// A JSON request body with the name words of its search terms replaced: string values of a member named like a search
    /// (<c>q</c>, <c>search</c>, <c>term</c>, <c>keyword</c>, <c>contains</c>, …) or like a filter operator (<c>_contains</c>,
    /// <c>_eq</c>, <c>$regex</c>, <c>$containsi</c>: Directus, Hasura, Strapi, MongoDB), or any member of an object a member
    /// named like a search holds (Elasticsearch's <c>{"match":{"customer":"…"}}</c>: the searched field's term), up to <see cref="MaxTermChars"/>
    /// characters; a GraphQL document's inline search arguments (<see cref="GraphQlSearchArguments"/>). Null when none changed (or the body is not JSON).
    /// </summary>
    private static byte[]? RewriteJson(ReadOnlyMemory<byte> content, RedactionSession session, List<RedactedName>? own, NameSearchTerms? stream)
    {
        var json = content.Span;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var path = new List<PathSegment>();
        var next = new List<int>(); // per open container: the next element index (-1 for an object)
        var operands = new List<bool>(); // per open container: an object a search member holds ({"match":{"name":"…"}})
        string? member = null;
        List<(int Start, int Length, byte[] Json)>? edits = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        member = JsonStrings.Read(ref reader);
                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        var held = next.Count > 0 ? Segment(next, member) : default;
                        if (next.Count > 0)
                        {
                            path.Add(held);
                        }

                        operands.Add(reader.TokenType == JsonTokenType.StartObject && held.Name is { } holder && SearchMembers.Contains(FieldNames.Normalize(holder)));
                        next.Add(reader.TokenType == JsonTokenType.StartArray ? 0 : -1);
                        member = null;
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        next.RemoveAt(next.Count - 1);
                        operands.RemoveAt(operands.Count - 1);
                        if (next.Count > 0)
                        {
                            path.RemoveAt(path.Count - 1);
                        }

                        continue;
                }

                var self = next.Count > 0 ? Segment(next, member) : default;
                if (reader.TokenType == JsonTokenType.String && self.Name is { } name && (operands[^1] || IsSearchMember(name, FieldNames.Normalize(name))) && JsonStrings.Read(ref reader) is { Length: > 0 } value)
                {
                    path.Add(self);
                    var sb = new StringBuilder("request.body:");
                    JsonPath.AppendFormatted(sb, path, path.Count);
                    path.RemoveAt(path.Count - 1);
                    // A term, or a GraphQL document ("query") whose inline arguments hold terms.
                    var rewritten = !value.Contains('{', StringComparison.Ordinal)
                        ? value.Length <= MaxTermChars ? RewriteWords(value, sb.ToString(), string.Empty, encodedKey: false, session, own, stream) : null
                        : GraphQlSearchArguments.Rewrite(value, sb.ToString(), session, own, stream);
                    if (rewritten is not null)
                    {
                        (edits ??= []).Add(((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2, JsonBodyRedactor.Quote(rewritten)));
                    }
                }

                member = null;
            }
        }
        catch (JsonException)
        {
            return null; // not JSON (or cut): its redaction is the body redactor's
        }

        if (edits is null)
        {
            return null;
        }

        var output = new List<byte>(json.Length + 32 * edits.Count);
        var copied = 0;
        foreach (var (start, length, replacement) in edits)
        {
            output.AddRange(json[copied..start]);
            output.AddRange(replacement);
            copied = start + length;
        }

        output.AddRange(json[copied..]);
        return [.. output];
    }

    /// <summary>The longest search term looked at in a JSON body.</summary>
    private const int MaxTermChars = 256;

    // Members that hold a search term (normalised as FieldNames does).
    private static readonly FrozenSet<string> SearchMembers = FrozenSet.Create(
        StringComparer.Ordinal,
        "q", "query", "search", "searchterm", "searchtext", "searchquery", "searchstring", "term", "terms", "keyword", "keywords", "contains", "icontains",
        "containsi", "like", "ilike", "match", "prefix", "startswith", "startswithi", "fulltext", "fuzzy", "matchphrase", "matchphraseprefix",
        "matchboolprefix", "wildcard", "regexp", "querystring", "simplequerystring");

    // Query and form keys that hold a search besides the search members: a filter, or a person's name field (?name=gonzalez).
    // "pattern": kiwix-serve's full-text search (?pattern=Gonzalez, QA round 15b); only in a query or form, where it is a
    // search, not in JSON bodies, where it is as often a regular expression in a configuration.
    private static readonly FrozenSet<string> SearchKeys = FrozenSet.Create(
        StringComparer.Ordinal,
        "filter", "filters", "where", "s", "find", "lookup", "who", "pattern", "name", "fullname", "displayname", "firstname", "lastname", "surname", "givenname",
        "familyname", "forename", "customer", "contact", "person", "author", "owner", "assignee");

    /// <summary>
    /// True when a query or form key holds a search term: its last bracketed segment (<c>filter[name][_contains]</c> →
    /// <c>_contains</c>) is named like a search or an operator, a filter or a person's name. Other keys (<c>?city=Paris</c>
    /// after "Paris Hilton" was seen, <c>country=Jordan</c>) are left alone.
    /// </summary>
    private static bool IsSearchKey(string key)
    {
        var normalized = FieldNames.NormalizeBracketed(key, out _);
        var open = key.LastIndexOf('[');
        var raw = key.EndsWith(']') && open >= 0 ? key[(open + 1)..^1] : key;
        return IsSearchMember(raw, normalized) || SearchKeys.Contains(normalized);
    }

    /// <summary>True for a member named like a search (<see cref="SearchMembers"/>) or like a filter operator (<c>_contains</c>, <c>$eq</c>).</summary>
    internal static bool IsSearchMember(string name, string normalized) =>
        (name.Length > 1 && name[0] is '_' or '$') || SearchMembers.Contains(normalized);

    /// <summary>The segment of the value about to be read in the innermost container (advancing an array's index).</summary>
    private static PathSegment Segment(List<int> next, string? member)
    {
        var index = next[^1];
        if (index < 0)
        {
            return PathSegment.Member(member ?? string.Empty);
        }

        next[^1] = index + 1;
        return PathSegment.Element(index);
    }

    /// <summary>Past this many names in an exchange, its words are looked up in an index (<see cref="OwnIndex"/>) instead of walked.</summary>
    private const int WalkedNames = 16;

    // Per thread: the index of one exchange's name words, for the session and name count it was built for.
    [ThreadStatic]
    private static (RedactionSession? Session, int Count, Dictionary<string, RedactedName>? Words) t_ownIndex;

    /// <summary>The words of an exchange's many names by word (ignoring case; the first name holding a word wins), built once per exchange.</summary>
    private static Dictionary<string, RedactedName> OwnIndex(RedactionSession session, List<RedactedName> own)
    {
        if (ReferenceEquals(t_ownIndex.Session, session) && t_ownIndex.Count == own.Count && t_ownIndex.Words is { } built)
        {
            return built;
        }

        var words = t_ownIndex.Words ?? new Dictionary<string, RedactedName>(StringComparer.OrdinalIgnoreCase);
        words.Clear();
        foreach (var name in own)
        {
            for (var i = 0; NextWord(name.Name, ref i, out var start, out var length);)
            {
                var word = name.Name.Substring(start, length);
                words.TryAdd(word, name with { Name = word });
            }
        }

        t_ownIndex = (session, own.Count, words);
        return words;
    }

    /// <summary>The name word equal to <paramref name="run"/> ignoring case (its name's spelling, rule and action): this exchange's first, then the stream's.</summary>
    private static (RedactedName Word, bool Carried) Find(ReadOnlySpan<char> run, RedactionSession session, List<RedactedName>? own, NameSearchTerms? stream)
    {
        if (own is { Count: > WalkedNames })
        {
            if (OwnIndex(session, own).GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(run, out var indexed))
            {
                return (indexed, false);
            }
        }
        else if (own is not null)
        {
            foreach (var name in own)
            {
                for (var i = 0; NextWord(name.Name, ref i, out var start, out var length);)
                {
                    if (run.Equals(name.Name.AsSpan(start, length), StringComparison.OrdinalIgnoreCase))
                    {
                        return (name with { Name = name.Name.Substring(start, length) }, false);
                    }
                }
            }
        }

        return stream is not null && stream.TryGet(run, out var found) ? (found, true) : default;
    }

    private static bool IsLetters(ReadOnlySpan<char> run)
    {
        foreach (var c in run)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsOneWord(string name) => name.Length >= MinWordLength && IsLetters(name);

    /// <summary>True when the location's last member (<c>$.customer.lastName</c>, <c>$.name.last</c>, <c>/Person/Surname</c>, <c>query.last_name</c>) holds a word of a name.</summary>
    private static bool IsPartField(string location)
    {
        var span = location.AsSpan().TrimEnd(']');
        var cut = span.LastIndexOfAny(".:/[");
        return cut >= 0 && PartFields.Contains(FieldNames.Normalize(span[(cut + 1)..]));
    }
}
