using System.Collections.Immutable;
using System.Text;
using Reprise.Core.Model;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Policy;
using Reprise.Redaction.Rules;

namespace Reprise.Redaction.Engine;

/// <summary>
/// The state of redacting one exchange: which half is being processed, what was redacted so far (for
/// <c>Redactions</c> and scan findings), and which locations an earlier pass already tokenized or faked
/// (left alone, which makes redaction idempotent even for outputs that look like real data).
/// </summary>
internal sealed class RedactionSession
{
    private readonly HashSet<string>? _previous;
    private HashSet<(string, string)>? _seen;
    private readonly List<Finding>? _findings;
    private readonly List<(int Start, int Length)> _spans = [];
    private List<TextMatch>? _matches;

    [ThreadStatic]
    private static StringBuilder? t_builder;

    public RedactionSession(RedactionModel model, ImmutableArray<Core.Model.Redaction> previous, List<Finding>? findings)
    {
        Model = model;
        _findings = findings;
        if (!previous.IsDefaultOrEmpty)
        {
            foreach (var redaction in previous)
            {
                if (redaction.Action is "tokenize" or "fake")
                {
                    (_previous ??= new HashSet<string>(StringComparer.Ordinal)).Add(redaction.Location);
                }
            }
        }
    }

    public RedactionModel Model { get; }

    public ValueRewriter Rewriter => Model.Rewriter;

    /// <summary>The stream's cache of tokens, fakes and digits (null: each is computed); it never changes a result.</summary>
    public TokenCache? Tokens { get; init; }

    /// <summary>The half being redacted.</summary>
    public RuleScope Side { get; set; } = RuleScope.Request;

    /// <summary>What was redacted, in order, without duplicates.</summary>
    public List<Core.Model.Redaction> Redactions { get; } = [];

    /// <summary>True when the session checks locations against an earlier pass (callers then build locations eagerly).</summary>
    public bool HasPrevious => _previous is not null;

    /// <summary>While set, every text action becomes a same-length mask (binary bodies: framing must not move).</summary>
    public bool SameLengthOnly { get; set; }

    public bool IsSkipped(string location) => _previous is not null && _previous.Contains(location);

    public void Record(string location, string rule, ActionSpec action, DataKind kind, string original) =>
        Record(location, rule, action, kind, original, replacement: null, replacementKnown: false);

    /// <summary>
    /// Records a redaction whose replacement the caller computed itself (a JSON number keeps its digits), so the
    /// same-value pass (<see cref="ValueSpread"/>) spreads exactly that replacement.
    /// </summary>
    public void Record(string location, string rule, ActionSpec action, DataKind kind, string original, string? replacement) =>
        Record(location, rule, action, kind, original, replacement, replacementKnown: true);

    private HashSet<string>? _kept;

    /// <summary>
    /// Notes a value a rule kept (<c>action: keep</c>) where it stood: the same-value pass does not spread a replacement of
    /// it from elsewhere in the exchange, which would rewrite the place the user asked to keep.
    /// </summary>
    public void NoteKept(string value)
    {
        if (value.Length > 0)
        {
            (_kept ??= new HashSet<string>(StringComparer.Ordinal)).Add(value);
        }
    }

    /// <summary>Whether a rule kept <paramref name="value"/> somewhere in this exchange (<see cref="NoteKept"/>).</summary>
    public bool IsKept(string value) => _kept is not null && _kept.Contains(value);

    /// <summary>The most characters of decoded base64 text a session keeps for the later passes (four of the largest values).</summary>
    private const int MaxBase64Chars = 4 * Base64Text.MaxLength;

    private List<string>? _base64Texts;
    private int _base64Chars;

    /// <summary>
    /// The text of the base64 values the normal pass decoded in this exchange's JSON strings (after their redaction), or
    /// null: the carried pass searches them too, and the same-value pass then looks inside base64 strings, so a name
    /// redacted in a field (here or in an earlier exchange) is replaced inside an attachment's base64 as well.
    /// </summary>
    public List<string>? Base64Texts => _base64Texts;

    /// <summary>Notes the text of a base64 value (see <see cref="Base64Texts"/>); past <see cref="MaxBase64Chars"/> in all, no more are kept.</summary>
    public void NoteBase64Text(string text)
    {
        if (text.Length < ValueSpread.MinLength || _base64Chars + text.Length > MaxBase64Chars)
        {
            return;
        }

        _base64Chars += text.Length;
        (_base64Texts ??= []).Add(text);
    }

    /// <summary>The most issued credentials an exchange's tag names (<see cref="Issued"/>).</summary>
    private const int MaxIssued = 16;

    private List<(string Location, string Original)>? _issued;

    /// <summary>
    /// The credentials the response body issued that were masked (secrets, JWTs, bearer tokens and API keys at a body
    /// location), with where they were: the policy tags the exchange with their keyed tokens
    /// (<see cref="Core.Model.WellKnownTags.RedactedIssued"/>). Null when there were none.
    /// </summary>
    public List<(string Location, string Original)>? Issued => _issued;

    private List<(string Location, string Original)>? _sent;

    /// <summary>
    /// The credentials the request body sent that were masked (<c>{"auth": "…"}</c>), with where they were: the policy tags
    /// the exchange with their keyed tokens (<see cref="Core.Model.WellKnownTags.RedactedSent"/>). Null when there were none.
    /// </summary>
    public List<(string Location, string Original)>? Sent => _sent;


    public bool HasKept => _kept is not null;

    /// <summary>True when the request was a JSON-RPC login call: its answer's bare string result is the session token it issued.</summary>
    public bool RpcLogin { get; set; }

    private List<RedactedName>? _names;

    /// <summary>True when a JSON request body of this exchange has a string member named like a search term (<see cref="Policy.FieldName.IsSearchTerm"/>).</summary>
    public bool HasJsonSearchTerm { get; set; }

    /// <summary>The person names redacted in this exchange whose words count in a search (<see cref="NameSearchTerms"/>); null when none.</summary>
    public List<RedactedName>? Names => _names;

    /// <summary>The raw values redacted so far that are long enough to be spread (<see cref="ValueSpread.Qualifies"/>), in order.</summary>
    public List<SpreadValue>? SpreadValues { get; private set; }

    // One list per thread, reused (cleared after the same-value pass): thousands of values cost no allocation.
    [ThreadStatic]
    private static List<SpreadValue>? t_spreadValues;

    /// <summary>Adds values to spread that this exchange did not redact itself (carried from earlier exchanges).</summary>
    public void AddCarriedValues(List<SpreadValue> values)
    {
        if (SpreadValues is null)
        {
            SpreadValues = t_spreadValues ??= [];
            SpreadValues.Clear();
        }

        SpreadValues.InsertRange(0, values);
    }

    /// <summary>
    /// Adds a value for the same-value pass that is part of one already recorded (the password inside a masked
    /// <c>Authorization: Basic</c> credential): its other occurrences are replaced, and it gets no entry of its own.
    /// </summary>
    public void AddSpreadValue(string original, string rule, ActionSpec action, DataKind kind)
    {
        if (action.Action == RedactionAction.Keep || !ValueSpread.Qualifies(original))
        {
            return;
        }

        if (SpreadValues is null)
        {
            SpreadValues = t_spreadValues ??= [];
            SpreadValues.Clear();
        }

        SpreadValues.Add(new SpreadValue(original, rule, action, kind, SameLengthOnly, Replacement: null, Known: false));
    }

    /// <summary>Records an occurrence the same-value pass replaced (not itself a value to spread).</summary>
    public void RecordSpread(string location, string rule, ActionSpec action, DataKind kind, string original) =>
        Record(location, rule, action, kind, original, replacement: null, replacementKnown: false, spread: true);

    private void Record(string location, string rule, ActionSpec action, DataKind kind, string original, string? replacement, bool replacementKnown, bool spread = false)
    {
        if (!spread && action.Action != RedactionAction.Keep && ValueSpread.Qualifies(original))
        {
            if (SpreadValues is null)
            {
                SpreadValues = t_spreadValues ??= [];
                SpreadValues.Clear();
            }

            SpreadValues.Add(new SpreadValue(original, rule, action, kind, SameLengthOnly, replacement, replacementKnown));
        }

        if (!spread && action.Action == RedactionAction.Mask && kind is DataKind.Jwt or DataKind.BearerToken or DataKind.ApiKey or DataKind.Secret
            && Side is RuleScope.Response or RuleScope.Request)
        {
            // A credential masked in a body: issued by a response, or sent by a request (each side's own list).
            ref var credentials = ref Side == RuleScope.Response ? ref _issued : ref _sent;
            if (location.StartsWith(Side == RuleScope.Response ? "response.body:" : "request.body:", StringComparison.Ordinal)
                && (credentials is null || credentials.Count < MaxIssued))
            {
                (credentials ??= []).Add((location, original));
            }
        }

        if (!spread && kind == DataKind.PersonName && action.Action != RedactionAction.Keep)
        {
            NameSearchTerms.Note(ref _names, original, location, rule, action);
        }

        if (IsNew(location, rule))
        {
            Redactions.Add(new Core.Model.Redaction(location, rule, action.WireName));
        }

        if (_findings is not null)
        {
            var detector = rule == "api-key" && ApiKeyDetector.Provider(original) is { } provider ? "api-key:" + provider : rule;
            _findings.Add(new Finding(location, detector, kind.ToString(), action.WireName, Masker.Preview(original, kind)));
        }
    }

    /// <summary>True the first time a (location, rule) pair is seen: a few are compared in place, many go through a set.</summary>
    private bool IsNew(string location, string rule)
    {
        if (_seen is null)
        {
            if (Redactions.Count < 8)
            {
                foreach (var redaction in Redactions)
                {
                    if (redaction.Location == location && redaction.Rule == rule)
                    {
                        return false;
                    }
                }

                return true;
            }

            _seen = new HashSet<(string, string)>(Redactions.Count * 2);
            foreach (var redaction in Redactions)
            {
                _seen.Add((redaction.Location, redaction.Rule));
            }
        }

        return _seen.Add((location, rule));
    }

    /// <summary>
    /// <paramref name="value"/> replaced by <paramref name="action"/> and recorded at <paramref name="where"/> under
    /// <paramref name="rule"/>. Null when it is kept (a keep action: the value is noted as kept), when it is redaction output
    /// already, or when the action drops it (<paramref name="dropped"/> set).
    /// </summary>
    public string? Replace(string value, DataKind kind, ActionSpec action, string rule, string where, out bool dropped)
    {
        dropped = false;
        if (action.Action == RedactionAction.Keep)
        {
            NoteKept(value);
            return null;
        }

        if (TokenFormat.IsRedactedOutput(value))
        {
            return null;
        }

        var replaced = Apply(value, kind, action);
        Record(where, rule, action, kind, value);
        dropped = replaced is null;
        return replaced;
    }

    /// <summary>Applies an action (honouring <see cref="SameLengthOnly"/>); null means drop.</summary>
    public string? Apply(string value, DataKind kind, ActionSpec action) => Apply(value, kind, action, SameLengthOnly);

    /// <summary>Applies an action as the normal pass did (<paramref name="sameLength"/>: inside a binary body); null means drop.</summary>
    public string? Apply(string value, DataKind kind, ActionSpec action, bool sameLength) =>
        sameLength ? Masker.Mask(value, kind == DataKind.Email ? DataKind.Email : DataKind.Generic, action.Action == RedactionAction.Mask ? action.KeepLast ?? Masker.DefaultKeepLast(kind) : 0) : Rewriter.Apply(value, kind, action, Tokens);

    /// <summary>
    /// The resource the request names (<c>users</c> for <c>/users/1</c>, <c>createUser</c> for a GraphQL
    /// mutation), the inferred parent of values at the top of a body; null when the request names none.
    /// </summary>
    public FieldName? Resource
    {
        get
        {
            if (_resourceRequest is { } request)
            {
                // Worked out on first use: most exchanges have no value that needs it (a pure function of the request as
                // it came and the model, so computing it later gives the same field).
                _resource = RequestResource.Of(request, Model);
                _resourceRequest = null;
            }

            return _resource;
        }
    }

    private FieldName? _resource;
    private ExchangeRequest? _resourceRequest;

    /// <summary>Names the request whose <see cref="Resource"/> this session's values use (read from it when first asked for).</summary>
    public void ResourceOf(ExchangeRequest request)
    {
        _resourceRequest = request;
        _resource = null;
    }

    /// <summary>Finds the whole-value field detector for a field, if any; a field without a parent is looked up in the <see cref="Resource"/>.</summary>
    public bool TryMatchField(string field, string parent, string value, out FieldDetectorEntry match) =>
        TryMatchField(field, parent, value, parent.Length == 0 && Model.FieldCandidates(field, string.Empty).Length == 0 && !Model.IsChildName(field), out match);

    /// <summary>
    /// <see cref="TryMatchField(string, string, string, out FieldDetectorEntry)"/> for a field name the model described
    /// (its candidates without a parent and whether a parent can give it some are already known: no lookups).
    /// </summary>
    public bool TryMatchField(FieldName field, string parent, string value, out FieldDetectorEntry match) =>
        TryMatchField(field.Normalized, parent, value, parent.Length == 0 && field.Candidates.Length == 0 && !field.NeedsParent, out match);

    private bool TryMatchField(string field, string parent, string value, bool noCandidates, out FieldDetectorEntry match)
    {
        if (noCandidates)
        {
            // No detector selects the field by its name, and none by a parent: no parent (the resource included) gives it
            // candidates, so the resource need not be worked out (a query's page=2).
            match = default;
            return false;
        }

        return parent.Length == 0 && Resource is { } resource
            ? TryMatchField(field, resource.InferredKey, inferred: true, value, out match)
            : TryMatchField(field, parent, inferred: false, value, out match);
    }

    /// <summary>Finds the whole-value field detector for a field in an explicit or inferred parent.</summary>
    public bool TryMatchField(string field, string parent, bool inferred, string value, out FieldDetectorEntry match) =>
        Model.TryMatchField(new FieldContext(field, parent, inferred, Side == RuleScope.Request), value, out match);

    /// <summary>True when any field detector is interested in this field name (before the value is decoded).</summary>
    public bool IsCandidateField(string field, string parent) => field.Length > 0 && Model.FieldCandidates(field, parent).Length > 0;

    /// <summary>True when some detector could match a value with these statistics.</summary>
    public bool MayMatchText(in TextStats stats)
    {
        if (Model.BuiltInValueDetectorsOnly)
        {
            return BuiltInPrefilter.MayMatchAny(stats);
        }

        foreach (var entry in Model.ValueDetectors)
        {
            if ((entry.Scope & Side) != 0 && entry.Detector.MayMatch(stats))
            {
                return true;
            }
        }

        return (stats.EqualSigns > 0 || stats.Colons > 0 || stats.Angles > 0) && stats.Letters >= 3;
    }

    /// <summary>Runs every text detector (and the key/value scanner) over a value; returns the redacted text, or null when nothing matched.</summary>
    public string? RedactText(string text, string location, bool keyValues = true, string field = "", bool code = false)
    {
        if (text.Length == 0 || IsSkipped(location))
        {
            return null;
        }

        var matches = FindMatches(text, TextStats.Of(text), keyValues, field, out var timedOut, code);
        return matches is null && timedOut is null ? null : RedactMatches(text, matches, timedOut, location);
    }

    /// <summary>
    /// <see cref="RedactText(string, string, bool, string, bool)"/> at the location <paramref name="prefix"/> +
    /// <paramref name="separator"/> + <paramref name="name"/>, built only when something matched (or an earlier pass
    /// must be consulted): most headers, query parameters and form fields are clean.
    /// </summary>
    public string? RedactText(string text, string prefix, string separator, string name, bool keyValues = true, string field = "")
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (_previous is not null)
        {
            return RedactText(text, prefix + separator + name, keyValues, field);
        }

        var matches = FindMatches(text, TextStats.Of(text), keyValues, field, out var timedOut);
        return matches is null && timedOut is null ? null : RedactMatches(text, matches, timedOut, prefix + separator + name);
    }

    /// <summary>
    /// The detector and key/value matches in a value, without a location (callers build the location only
    /// when something matched: most values that pass the statistics pre-check turn out clean).
    /// <paramref name="stats"/> must be <see cref="TextStats.Of(ReadOnlySpan{char})"/> of the text (or the
    /// identical byte statistics of its ASCII UTF-8). Null when nothing matched; <paramref name="timedOut"/>
    /// names a detector whose pattern timed out (the value is then masked whole by <see cref="RedactMatches"/>).
    /// The list returned is the session's own, valid until the next call: pass it to <see cref="RedactMatches"/> first.
    /// </summary>
    public List<TextMatch>? FindMatches(string text, in TextStats stats, bool keyValues, string field, out string? timedOut, bool code = false)
    {
        timedOut = null;
        if (text.Length == 0 || (Model.BuiltInValueDetectorsOnly && !BuiltInPrefilter.MayMatchAny(stats)))
        {
            // The union of every built-in detector's pre-check and the key/value condition is false: nothing below can match.
            return null;
        }

        // A field named like a version ("agentVersion": "1.4.12.7") holds a version, never an address.
        var versionField = field.Length > 0 && (field.Contains("version", StringComparison.Ordinal) || field.EndsWith("build", StringComparison.Ordinal) || field.EndsWith("release", StringComparison.Ordinal));
        // One list per session, reused: callers hand it to RedactMatches before finding again.
        var matches = _matches ??= [];
        matches.Clear();
        timedOut = DetectValues(text, stats, versionField, matches);
        if (timedOut is not null)
        {
            return null; // a user pattern that cannot finish must not let the value through: mask all of it (fail closed)
        }

        if (keyValues && stats.Letters >= 3 && (stats.EqualSigns > 0 || stats.Colons > 0 || stats.Angles > 0))
        {
            if (!code && stats.Colons > 0 && ContentLineScanner.MayHold(text))
            {
                // A vCard or an iCalendar object: read unfolded, by the value detectors (a value a fold splits) and as fields.
                var (unfolded, map) = ContentLineScanner.Unfold(text);
                if (map is not null && FindAcrossFolds(unfolded, map, matches) is { } foldTimedOut)
                {
                    timedOut = foldTimedOut;
                    return null;
                }

                ContentLineScanner.Find(unfolded, map, Model, matches);
            }

            KeyValueScanner.Find(text, stats, Model, matches, code);
        }

        return matches.Count == 0 ? null : matches;
    }

    /// <summary>
    /// The value detectors that apply to this side (a field named like a version skips addresses) run over
    /// <paramref name="text"/>, each match added to <paramref name="matches"/>; the name of a detector whose pattern timed
    /// out (the search stops there), else null.
    /// </summary>
    private string? DetectValues(string text, in TextStats stats, bool versionField, List<TextMatch> matches)
    {
        foreach (var entry in Model.ValueDetectors)
        {
            if ((entry.Scope & Side) == 0 || !entry.Detector.MayMatch(stats) || (versionField && entry.Detector.Kind == DataKind.IpAddress))
            {
                continue;
            }

            _spans.Clear();
            try
            {
                entry.Detector.Find(text, _spans);
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                return entry.Detector.Name;
            }

            foreach (var (start, length) in _spans)
            {
                matches.Add(new TextMatch(start, length, entry.Detector.Name, entry.Detector.Kind, entry.Action));
            }
        }

        return null;
    }

    /// <summary>
    /// The values a fold splits in a vCard or an iCalendar object: servers fold content lines at 75 octets (RFC 5545 3.1,
    /// RFC 6350 3.2), in the middle of a word. SOGo answered <c>DESCRIPTION:… anna.keller@exam\r\n ple.com</c>: no detector
    /// saw an address on either side, and it went to disk raw in the GET and both REPORTs (QA round 15b). The value
    /// detectors read the unfolded text (<paramref name="map"/>: each of its characters' index in the original); a match
    /// that spans a fold is mapped back and takes the fold with it. A detector that times out here masks the value, as on
    /// the folded text. Returns that detector's name, else null.
    /// </summary>
    private string? FindAcrossFolds(string unfolded, int[] map, List<TextMatch> matches)
    {
        var found = new List<TextMatch>();
        if (DetectValues(unfolded, TextStats.Of(unfolded), versionField: false, found) is { } timedOut)
        {
            return timedOut;
        }

        foreach (var match in found)
        {
            var first = map[match.Start];
            var end = map[match.Start + match.Length - 1] + 1;
            if (end - first != match.Length)
            {
                matches.Add(match with { Start = first, Length = end - first });
            }
        }

        return null;
    }

    /// <summary>Applies what <see cref="FindMatches"/> found at <paramref name="location"/> and records it; null when nothing changed (or the location was tokenized by an earlier pass).</summary>
    public string? RedactMatches(string text, List<TextMatch>? matches, string? timedOut, string location)
    {
        if (IsSkipped(location))
        {
            return null;
        }

        if (timedOut is not null)
        {
            Record(location, timedOut + ":timeout", ActionSpec.Mask(0), DataKind.Secret, text);
            return new string('*', text.Length);
        }

        if (matches is null)
        {
            return null;
        }

        matches.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        List<(int Start, int End)>? tokens = null;
        if (text.Contains("tok_", StringComparison.Ordinal) || text.Contains("fake_", StringComparison.Ordinal))
        {
            tokens = [];
            foreach (var token in Actions.TokenFormat.Find(text))
            {
                tokens.Add((token.Index, token.Index + token.Length));
            }
        }

        // One builder per thread (nothing below re-enters this method): a redacted value costs its result string only.
        var sb = t_builder ??= new StringBuilder(256);
        sb.Clear();
        var position = 0;
        foreach (var match in matches)
        {
            if (match.Start < position || InsideToken(tokens, match))
            {
                continue;
            }

            var value = text.Substring(match.Start, match.Length);
            if (TokenFormat.IsRedactedOutput(value))
            {
                continue;
            }

            if (match.Action.Action == RedactionAction.Keep)
            {
                // An exemption: the span is consumed so no detector redacts inside it.
                NoteKept(value);
                sb.Append(text, position, match.End - position);
                position = match.End;
                continue;
            }

            sb.Append(text, position, match.Start - position);
            position = match.End;
            if (UnquotedInteger(text, match))
            {
                // Recorded with its digits, as a JSON number is, so the same-value pass writes the same digits where
                // the id is echoed (an error message, a JSON string) rather than a token of its own.
                var digits = Rewriter.ApplyNumber(value, match.Kind, match.Action, Tokens);
                sb.Append(digits ?? string.Empty);
                Record(location, match.Rule, match.Action, match.Kind, value, digits);
                continue;
            }

            sb.Append(Apply(value, match.Kind, match.Action) ?? string.Empty);
            Record(location, match.Rule, SameLengthOnly ? ActionSpec.Mask() : match.Action, match.Kind, value);
        }

        sb.Append(text, position, text.Length - position);
        var result = sb.Equals(text.AsSpan()) ? null : sb.ToString();
        if (sb.Capacity > 16 * 1024)
        {
            t_builder = null;
        }

        return result;
    }

    /// <summary>
    /// True when a value to tokenize or fake is a bare integer in the text as the value of a key-value pair
    /// (<c>customer(customerId: 42)</c> in a GraphQL query, <c>id=42</c>): it is replaced by keyed digits, as a JSON number is, so the text stays what it was (a
    /// <c>tok_id_…</c> there is an enum literal a server rejects for an <c>Int</c> or <c>ID</c> argument). A quoted value, a
    /// masked one and one inside a binary body keep their usual replacement.
    /// </summary>
    private bool UnquotedInteger(string text, TextMatch match)
    {
        if (SameLengthOnly || match.Action.Action is not (RedactionAction.Tokenize or RedactionAction.Fake) || match.Length > 19)
        {
            return false;
        }

        // A fake must stay one nobody has: keyed digits are that only for ids and cards (a card gets its test number); a
        // phone or a national id keeps its reserved fake (555-01xx, 9xx-xx-xxxx), as text.
        if (match.Action.Action == RedactionAction.Fake && match.Kind is not (DataKind.AccountId or DataKind.CardNumber or DataKind.Generic))
        {
            return false;
        }

        var value = text.AsSpan(match.Start, match.Length);
        var digits = value[0] == '-' ? value[1..] : value;
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        // The value of a key-value pair, whole: after ':' or '=' (blanks between), before the end, a blank or a delimiter.
        var before = text.AsSpan(0, match.Start).TrimEnd();
        var after = match.End < text.Length ? text[match.End] : ' ';
        return before.Length > 0 && before[^1] is ':' or '=' && (char.IsWhiteSpace(after) || after is ')' or ',' or '}' or ']' or '&' or ';');
    }

    private static bool InsideToken(List<(int Start, int End)>? tokens, TextMatch match)
    {
        if (tokens is null)
        {
            return false;
        }

        foreach (var (start, end) in tokens)
        {
            if (match.Start < end && match.End > start)
            {
                return true;
            }
        }

        return false;
    }
}
