namespace Reprise.Replay.Correlation;

/// <summary>
/// What one session (copy) learned from its new responses: recorded value → new value, redacted
/// credentials, cookies by name, and manual rule values. A session runs one request at a time, so
/// this needs no locking.
/// </summary>
/// <remarks>
/// The latest pairing wins, also an unchanged one: when a response pairs recorded <c>5</c> with new
/// <c>5</c>, an earlier <c>5 → 1</c> is forgotten, because <c>5</c> now names the record this response
/// produced. Within one response a changed pairing beats an unchanged one for the same recorded value
/// (<c>{"id":41,"ownerId":41}</c> answered as <c>{"id":1001,"ownerId":41}</c> keeps <c>41 → 1001</c>).
/// </remarks>
internal sealed class SessionCorrelation
{
    /// <summary>Upper bound on learned values per session (a runaway session must not grow without limit).</summary>
    public const int MaxValues = 2048;

    private readonly Dictionary<string, LearnedValue> _pending = new(StringComparer.Ordinal);
    private readonly List<(string Recorded, string Field, LearnedValue Value)> _pendingCredentials = [];

    /// <summary>
    /// Recorded values a response answered directly (not by a position in a list), changed or unchanged. An unchanged
    /// answer leaves no pairing in <see cref="Values"/>, but it still names the record this session produced, so a list
    /// position must not repoint it later. Bounded by <see cref="MaxValues"/>; once full, list positions teach nothing
    /// new (the safe side: a position is the weaker evidence).
    /// </summary>
    private readonly HashSet<string> _answeredDirectly = new(StringComparer.Ordinal);

    /// <summary>Recorded value → new value, substituted wherever the recorded value appears as a whole token.</summary>
    public Dictionary<string, LearnedValue> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Redacted credentials (a masked or tokenized token the recording holds in place of the real one) →
    /// the new value; substituted only as an Authorization credential (after the scheme) or as the whole
    /// value of the header it was learned from (or named like the JSON member it was learned from), never in
    /// other headers, paths or bodies, where a mask could stand for anything.
    /// </summary>
    public Dictionary<string, LearnedValue> Credentials { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The field a masked credential was issued under (JSON member, form field or header name, any case) → (its recorded
    /// mask, the new value), the latest wins: a request field of the same name (<c>refresh_token=****</c>) gets the token
    /// issued under that name even when another token of the same length left the same mask.
    /// </summary>
    public Dictionary<string, (string Recorded, LearnedValue Value)> CredentialsByField { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The keyed token of a credential a response issued masked (<see cref="Core.Model.WellKnownTags.RedactedIssued"/>) → its
    /// new value: substituted only as the Authorization credential of a request the same token tags, so two logins whose
    /// tokens leave one mask each keep their own.
    /// </summary>
    public Dictionary<string, LearnedValue> Issued { get; } = new(StringComparer.Ordinal);

    /// <summary>Masks the latest response issuing them paired with different new values (tokens of one length): <see cref="Credentials"/> holds the preferred one, if any.</summary>
    public HashSet<string> AmbiguousCredentials { get; } = new(StringComparer.Ordinal);

    /// <summary>The forms of the latest page that held anti-forgery fields, with their new tokens (see <see cref="PageForms"/>).</summary>
    public IReadOnlyList<PageForm> PageForms { get; private set; } = [];

    /// <summary>Where <see cref="PageForms"/> came from (the endpoint and body), for the correlation report.</summary>
    public string PageFormsFrom { get; private set; } = string.Empty;

    /// <summary>Replaces <see cref="PageForms"/> with the forms of a new page.</summary>
    public void SetPageForms(IReadOnlyList<PageForm> forms, string from)
    {
        PageForms = forms;
        PageFormsFrom = from;
    }

    /// <summary>Cookie (name, domain, path) → (recorded value, new value): a later request's cookie of that name in its scope carrying the recorded value gets the new one.</summary>
    public CookieJar Cookies { get; } = new();

    /// <summary>
    /// Recorded entity tag → the one the target issued (an <c>ETag</c> the client sends back): substituted only as an
    /// entity tag of <c>If-None-Match</c>, <c>If-Match</c> or <c>If-Range</c>, never in a body, path or other header,
    /// where a short tag (<c>"1"</c>) could be any value.
    /// </summary>
    public Dictionary<string, LearnedValue> Validators { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// (query parameter, redacted value) → the new value: a <c>Location</c> whose query held a masked parameter (the OCI
    /// registry's signed <c>_state</c>) names the value the client sends back under that parameter. Substituted only
    /// as the whole value of that parameter, never elsewhere, where a mask could stand for anything; the latest wins.
    /// </summary>
    public Dictionary<(string Parameter, string Recorded), LearnedValue> QueryMasks { get; } = [];

    public Dictionary<string, string> Manual { get; } = new(StringComparer.Ordinal);

    public HashSet<string> NewValues { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Values.Count == 0 && Credentials.Count == 0 && Issued.Count == 0 && CredentialsByField.Count == 0 && Cookies.Count == 0 && Validators.Count == 0 && QueryMasks.Count == 0 && Manual.Count == 0;

    /// <summary>True once the tokens of the value rules with <c>substitute.token</c> were learned for this session.</summary>
    public bool TokenValuesSeeded { get; set; }

    /// <summary>Upper bound on the words whose tokens a session remembers.</summary>
    private const int MaxTokenCache = 8192;

    private Dictionary<(string Kind, string Word), string?>? _tokenOf;

    /// <summary>The token <paramref name="tokens"/> gives <paramref name="word"/> as the kind of <paramref name="like"/> (cached per session: an HMAC each).</summary>
    public string? TokenOf(string like, string word, Core.Pipeline.IRedactionTokens tokens) => TokenOf(KindOf(like), like, word, tokens);

    /// <summary>The <c>tok_&lt;hint&gt;</c> prefix of a token: tokens of one kind share it.</summary>
    public static string KindOf(string token) => Core.Model.RedactedValue.TokenKind(token);

    /// <summary><see cref="TokenOf(string, string, Core.Pipeline.IRedactionTokens)"/> with the kind prefix computed once by the caller.</summary>
    public string? TokenOf(string kind, string like, string word, Core.Pipeline.IRedactionTokens tokens)
    {
        _tokenOf ??= [];
        if (_tokenOf.TryGetValue((kind, word), out var token))
        {
            return token;
        }

        token = tokens.TokenLike(like, word);
        if (_tokenOf.Count < MaxTokenCache)
        {
            _tokenOf[(kind, word)] = token;
        }

        return token;
    }

    /// <summary>A raw value whose token was learned: it is replaced by the token's new value too (latest pairing of the token).</summary>
    public void Alias(string raw, LearnedValue learned)
    {
        if ((Values.Count < MaxValues || Values.ContainsKey(raw)) && !string.Equals(raw, learned.Value, StringComparison.Ordinal))
        {
            Values[raw] = learned;
        }
    }

    /// <summary>Notes a pairing from the response being learned; <see cref="Commit"/> applies the response's pairings.</summary>
    public void Learn(string recorded, string replayed, string rule, string from, bool fromList = false)
    {
        if (recorded.Length == 0)
        {
            return;
        }

        if (_pending.TryGetValue(recorded, out var earlier) && !string.Equals(recorded, earlier.Value, StringComparison.Ordinal)
            && string.Equals(recorded, replayed, StringComparison.Ordinal))
        {
            return; // a changed pairing in the same response is the better evidence
        }

        if (fromList && _pending.TryGetValue(recorded, out var direct) && !direct.FromList)
        {
            return; // the same response answered it directly: a list position is weaker evidence
        }

        _pending[recorded] = new LearnedValue(replayed, rule, from, FromList: fromList);
    }

    /// <summary>Applies the pairings of the response just learned (latest wins; an unchanged pairing forgets the recorded value).</summary>
    public void Commit()
    {
        foreach (var (recorded, learned) in _pending)
        {
            if (learned.FromList)
            {
                // A list position never repoints a value a response answered directly (a create's id, also one that
                // came back unchanged): the target's list may hold another record at that position (pre-existing
                // data, another copy's record), and a later PATCH or DELETE would touch it.
                if (_answeredDirectly.Contains(recorded) || _answeredDirectly.Count >= MaxValues)
                {
                    continue;
                }
            }
            else if (_answeredDirectly.Count < MaxValues)
            {
                _answeredDirectly.Add(recorded);
            }

            if (string.Equals(recorded, learned.Value, StringComparison.Ordinal))
            {
                Values.Remove(recorded);
            }
            else if (Values.Count < MaxValues || Values.ContainsKey(recorded))
            {
                Values[recorded] = learned;
                NewValues.Add(learned.Value);
            }
        }

        _pending.Clear();
        CommitCredentials();
    }

    /// <summary>
    /// Applies the credentials of the response just learned. Masks of the same length look alike
    /// (<c>access_token</c> and <c>refresh_token</c> both recorded as 32 stars): when one response pairs the
    /// same mask with different new values, a field naming an access or id token wins; otherwise the mask is
    /// ambiguous and neither is learned.
    /// </summary>
    private void CommitCredentials()
    {
        for (var i = 0; i < _pendingCredentials.Count; i++)
        {
            var (recorded, _, first) = _pendingCredentials[i];
            var seen = false;
            for (var k = 0; k < i && !seen; k++)
            {
                seen = string.Equals(_pendingCredentials[k].Recorded, recorded, StringComparison.Ordinal);
            }

            if (seen)
            {
                continue; // decided with its first occurrence
            }

            LearnedValue? chosen = first;
            LearnedValue? preferred = null;
            var preferredAmbiguous = false;
            for (var k = i; k < _pendingCredentials.Count; k++)
            {
                var (other, field, value) = _pendingCredentials[k];
                if (!string.Equals(other, recorded, StringComparison.Ordinal))
                {
                    continue;
                }

                if (chosen is { } c && !string.Equals(c.Value, value.Value, StringComparison.Ordinal))
                {
                    chosen = null;
                }

                if (string.Equals(value.Value, recorded, StringComparison.Ordinal))
                {
                    CredentialsByField.Remove(field); // unchanged: nothing to substitute, and an older mapping is stale
                }
                else if (CredentialsByField.Count < MaxValues || CredentialsByField.ContainsKey(field))
                {
                    CredentialsByField[field] = (recorded, value);
                }

                if (IsPreferredCredential(field))
                {
                    preferredAmbiguous |= preferred is { } p && !string.Equals(p.Value, value.Value, StringComparison.Ordinal);
                    preferred ??= value;
                }
            }

            if (chosen is null)
            {
                if (AmbiguousCredentials.Count < MaxValues)
                {
                    AmbiguousCredentials.Add(recorded);
                }

                if (!preferredAmbiguous)
                {
                    chosen = preferred;
                }
            }
            else
            {
                AmbiguousCredentials.Remove(recorded);
            }

            if (chosen is { } same && string.Equals(same.Value, recorded, StringComparison.Ordinal))
            {
                Credentials.Remove(recorded); // unchanged: nothing to substitute, and an older mapping is stale
            }
            else if (chosen is { } learned && (Credentials.Count < MaxValues || Credentials.ContainsKey(recorded)))
            {
                Credentials[recorded] = learned;
                NewValues.Add(learned.Value);
            }
        }

        _pendingCredentials.Clear();
    }

    private static bool IsPreferredCredential(string field) =>
        field.Contains("access", StringComparison.OrdinalIgnoreCase) || field.Contains("id_token", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Notes a redacted credential (see <see cref="Credentials"/>) from the response being learned; <see cref="Commit"/>
    /// applies it. <paramref name="field"/> names where it was found (JSON member, form field, header);
    /// <paramref name="header"/> is the response header or JSON member it came from, if any (it names the only
    /// header besides Authorization it may later be substituted into as a whole value).
    /// </summary>
    public void LearnCredential(string recorded, string replayed, string rule, string from, string field, string? header = null)
    {
        if (recorded.Length == 0 || _pendingCredentials.Count >= MaxValues)
        {
            return;
        }

        _pendingCredentials.Add((recorded, field, new LearnedValue(replayed, rule, from, header)));
    }

    /// <summary>Learns the new value of a credential a response issued masked (see <see cref="Issued"/>); the latest wins.</summary>
    public void LearnIssued(string token, string replayed, string rule, string from)
    {
        if (replayed.Length > 0 && (Issued.Count < MaxValues || Issued.ContainsKey(token)))
        {
            Issued[token] = new LearnedValue(replayed, rule, from);
        }
    }

    /// <summary>Learns an entity tag the response carried (see <see cref="Validators"/>); an unchanged one forgets an older pairing.</summary>
    public void LearnValidator(string recorded, string replayed, string rule, string from)
    {
        if (recorded.Length == 0 || string.Equals(recorded, replayed, StringComparison.Ordinal))
        {
            Validators.Remove(recorded);
            return;
        }

        if (Validators.Count < MaxValues || Validators.ContainsKey(recorded))
        {
            Validators[recorded] = new LearnedValue(replayed, rule, from);
        }
    }

    /// <summary>The recorded value of a cookie the new build set where the recorded answer set none: any value of that name is replaced.</summary>
    public static readonly string UnrecordedCookie = new('\0', 1);

    /// <summary>
    /// The new value of a cookie the new build's response deleted (<c>Max-Age=0</c>, an <c>Expires</c> in the past): a
    /// browser drops it, so later requests leave it out instead of sending the deletion's placeholder value.
    /// </summary>
    public static readonly string DeletedCookie = new('\u0001', 1);

    /// <summary>Learns a cookie the response set (by name, domain and path, like a browser's cookie jar).</summary>
    public void LearnCookie(string name, CookieScope scope, string recorded, string replayed, string rule, string from)
    {
        // Unchanged: substituting it would change nothing (and cost every later request a copy); the jar forgets a
        // mapping it held for this cookie.
        if (Cookies.Learn(name, scope, recorded, new LearnedValue(replayed, rule, from), MaxValues)
            && !string.Equals(recorded, replayed, StringComparison.Ordinal) && !ReferenceEquals(replayed, DeletedCookie))
        {
            NewValues.Add(replayed);
        }
    }
}

/// <summary>A value captured from a new response, the rule that captured it, and the response header it came from (if any).</summary>
/// <remarks><paramref name="FromList"/>: paired by position in a list (a JSON array, repeated XML siblings), weaker evidence than a direct answer.</remarks>
internal readonly record struct LearnedValue(string Value, string Rule, string From, string? Header = null, bool FromList = false);
