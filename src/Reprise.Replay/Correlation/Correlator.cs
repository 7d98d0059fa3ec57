using Reprise.Core.Json;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Reprise.Core.Model;
using Reprise.Core.Transforms;
using Reprise.Replay.Http;

namespace Reprise.Replay.Correlation;

/// <summary>
/// Automatic and manual correlation. After each response, values the recorded response produced
/// (JSON and XML/SOAP ids and tokens, Location, Set-Cookie, ETag, CSRF headers and form fields) are paired with the
/// value at the same place in the new response; before each later request of the session, the
/// recorded values are replaced by the new ones (as whole path segments, query values, header values,
/// cookie values or whole tokens in the body).
/// </summary>
internal sealed partial class Correlator
{
    private const int MaxBodyBytes = 256 * 1024;
    private const int MaxLeaves = 512;
    private const int MaxAliasWords = 512;
    private readonly bool _auto;
    private readonly ManualRule[] _manual;
    private readonly CorrelationStats _stats;
    private readonly Core.Pipeline.IRedactionTokens? _tokens;

    public Correlator(bool auto, IReadOnlyList<CorrelationRuleOptions> rules, CorrelationStats stats, Core.Pipeline.IRedactionTokens? tokens = null)
    {
        _auto = auto;
        _stats = stats;
        _tokens = tokens;
        _manual = new ManualRule[rules.Count];
        var givenValues = new HashSet<string>(StringComparer.Ordinal);
        List<CorrelationRuleOptions>? tokenRules = null;
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].SubstituteToken)
            {
                if (tokens is null)
                {
                    throw new ReplayInputException($"{rules[i].Origin}: rule '{rules[i].Name}': substitute.token needs the recording's redaction key (the recording names no redaction policy, or --no-redact was given)");
                }

                (tokenRules ??= []).Add(rules[i]);
            }

            _manual[i] = new ManualRule(rules[i]);
            HasValueRules |= rules[i].IsValueRule;
            if (rules[i] is { IsValueRule: true, Value: { Length: > 0 } given })
            {
                givenValues.Add(given);
            }
        }

        GivenValues = givenValues;
        _tokenSeeds = tokenRules is null ? null : TokenSeeds(tokenRules, tokens!);
    }

    // What each substitute.token value rule seeds a session with (see SeedTokenValues): its tokens, computed once per run.
    private readonly TokenSeed[]? _tokenSeeds;
    private static readonly string[] TokenKindSamples = ["tok_id_aaaaaaaaaaaaaaaa", "tok_name_aaaaaaaaaaaaaaaa", "tok_email_aaaaaaaaaaaaaaaa@redacted.example.com"];

    /// <summary>A token of a <c>substitute.token</c> value rule's value, with the value and how the session learns it.</summary>
    private sealed record TokenSeed(string Token, string Value, string Rule, string From);

    /// <summary>
    /// Each <c>substitute.token</c> value rule's tokens of its value (as an account id, a name, an email), with the
    /// recording's key: they depend on the rules and the key alone, so every session is seeded from one list.
    /// </summary>
    private static TokenSeed[] TokenSeeds(List<CorrelationRuleOptions> rules, Core.Pipeline.IRedactionTokens tokens)
    {
        var seeds = new List<TokenSeed>();
        foreach (var rule in rules)
        {
            foreach (var sample in TokenKindSamples)
            {
                if (tokens.TokenLike(sample, rule.Value!) is { } token && !string.Equals(token, rule.Value, StringComparison.Ordinal))
                {
                    seeds.Add(new TokenSeed(token, rule.Value!, rule.Name, "value (" + rule.ValueSource + ")"));
                }
            }
        }

        return [.. seeds];
    }

    /// <summary>
    /// Learns, once per session, each <c>substitute.token</c> value rule's value for its tokens (<see cref="TokenSeeds"/>):
    /// the session then replaces them wherever a request holds them, URL paths included, like a value the target
    /// issued. A login carried into every path (<c>/SOGo/so/tok_id_…/Calendar/</c>) could not be given back by a located
    /// rule: the UI and DAV requests went to a user that does not exist (403, 404; QA round 15b).
    /// </summary>
    private void SeedTokenValues(SessionCorrelation session)
    {
        session.TokenValuesSeeded = true;
        foreach (var seed in _tokenSeeds!)
        {
            session.Learn(seed.Token, seed.Value, seed.Rule, seed.From);
        }

        session.Commit();
    }

    /// <summary>
    /// The values value rules give (secrets the user supplied): a <c>--multiplier</c> copy keeps them as they are, as it
    /// keeps values the target issued (a UUID API key varied per copy is a wrong key).
    /// </summary>
    public IReadOnlyCollection<string> GivenValues { get; }

    public bool Enabled => _auto || _manual.Length > 0;

    /// <summary>True when a value rule may change any request, whatever the session learned.</summary>
    public bool HasValueRules { get; }

    /// <summary>Learns from a new response.</summary>
    public void Learn(SessionCorrelation session, RequestTemplate template, ImmutableArray<HeaderField> headers, ReadOnlySpan<byte> body)
    {
        var recorded = template.Recorded.Response;
        if (_auto && recorded is not null)
        {
            LearnAuto(session, template, recorded, RedactionMarks.Of(template.Recorded), headers, body);
        }

        foreach (var rule in _manual)
        {
            rule.Learn(session, template, recorded, headers, body);
        }

        session.Commit();
    }

    /// <summary>
    /// Learns from a server message of a WebSocket session (or one record of it, for record-separated protocols): the
    /// recorded one at the same position (<paramref name="old"/>, held by message <paramref name="recordedIndex"/> of the
    /// recorded session, the <paramref name="serverIndex"/>-th of the server's, as diff names it) is paired with the one the target sent, like a
    /// response body (JSON leaves; a redacted leaf of the recorded message is not learned), so an id the server issued in
    /// one message reaches the client's later messages.
    /// </summary>
    public void LearnMessage(SessionCorrelation session, RequestTemplate template, int recordedIndex, int serverIndex, ReadOnlySpan<byte> old, ReadOnlySpan<byte> payload)
    {
        if (old.IsEmpty || payload.IsEmpty)
        {
            return;
        }

        var at = "message[" + serverIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
        if (_auto && payload.Length <= MaxBodyBytes && old.Length <= MaxBodyBytes)
        {
            var location = "messages[" + recordedIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) + "].payload:";
            if (LooksLikeJson(old) && LooksLikeJson(payload) && old.IndexOf(Core.Protocols.FramedJson.RecordSeparator) < 0 && payload.IndexOf(Core.Protocols.FramedJson.RecordSeparator) < 0)
            {
                LearnJson(session, old, payload, template.EndpointText + " " + at, RedactionMarks.Of(template.Recorded), location);
            }
            else
            {
                LearnFramedJson(session, old, payload, template.EndpointText + " " + at, RedactionMarks.Of(template.Recorded), location);
            }
        }

        if (_manual.Length > 0)
        {
            var recorded = (template.Recorded.Response ?? new ExchangeResponse { Status = 101 }) with { Body = ExchangeBody.FromBytes(old.ToArray(), null) };
            foreach (var rule in _manual)
            {
                rule.Learn(session, template, recorded, [], payload);
            }
        }

        session.Commit();
    }

    /// <summary>Substitutes learned values into a request; returns how many places changed.</summary>
    public int Apply(SessionCorrelation session, RequestTemplate template, OutgoingRequest request)
    {
        if (_tokenSeeds is not null && !session.TokenValuesSeeded)
        {
            SeedTokenValues(session);
        }

        var changed = 0;
        var learnsAliases = _tokens is not null && session.Values.Count > 0;
        var substitutes = session.Values.Count > 0 || session.Credentials.Count > 0 || session.Issued.Count > 0 || session.Cookies.Count > 0 || session.Validators.Count > 0 || session.QueryMasks.Count > 0
            || session.PageForms.Count > 0;
        // The body as text, decoded once for both passes (null: none, or not UTF-8).
        var body = (learnsAliases || substitutes) && !request.Body.IsEmpty && System.Text.Unicode.Utf8.IsValid(request.Body.Span)
            ? Encoding.UTF8.GetString(request.Body.Span)
            : null;
        if (learnsAliases)
        {
            LearnTokenAliases(session, request.Url, request.Body.Length <= MaxBodyBytes ? body ?? string.Empty : string.Empty);
        }

        if (session.Credentials.Count > 0 && body is { Length: > 0 } && request.Body.Length <= MaxBodyBytes)
        {
            LearnCsrfAliases(session, body);
        }

        if (substitutes)
        {
            changed += ApplyUrl(session, template, request);
            changed += ApplyHeaders(session, template, request);
            if (Core.Protocols.BinaryBodies.IsBinary(ContentTypeOf(request), request.Body.Span))
            {
                // gRPC frames by their protobuf structure, at any length (GrpcMessages.Rewrite); bodies it cannot read
                // (protobuf without gRPC framing, an octet stream) only same-length values, byte for byte, so that
                // every length prefix stays valid (GrpcMessages.Apply).
                var binaryBody = request.Body;
                void Applied(LearnedValue learned) => _stats.Applied(learned.Rule, learned.From, template.EndpointText + " body", manual: false);
                var replaced = GrpcMessages.IsGrpc(ContentTypeOf(request)) ? GrpcMessages.Rewrite(session, ref binaryBody, Applied) : -1;
                changed += replaced >= 0 ? replaced : GrpcMessages.Apply(session, ref binaryBody, Applied);
                request.Body = binaryBody;
            }
            else
            {
                changed += ApplyBody(session, template, request, body);
            }
        }

        // match-mask compares each rule's value with what the request carried before any rule gave it a value: two users'
        // passwords at one location (two rules, `$.password`) would otherwise see the first rule's raw value, which no
        // mask rules out, and the later rule overwrote it (QA round 13b: every login of Tiny Tiny RSS got the last user's;
        // QA round 13a: one Basic-login rule per user on one header sent every Redmine login as the last rule's user).
        var contentType = ContentTypeOf(request) ?? template.Recorded.Request.Body?.MediaType;
        Span<bool> fits = _manual.Length <= 64 ? stackalloc bool[_manual.Length] : new bool[_manual.Length];
        for (var i = 0; i < _manual.Length; i++)
        {
            var rule = _manual[i];
            fits[i] = !rule.Options.MatchMask || !rule.AppliesTo(template) || ValueOf(rule, session) is not { } given
                || (rule.Fits(request, contentType, given, _tokens) && rule.FitsCredentialTag(template.Recorded.Tags, given, session, _tokens));
        }

        for (var i = 0; i < _manual.Length; i++)
        {
            var rule = _manual[i];
            if (!rule.AppliesTo(template) || !fits[i])
            {
                continue;
            }

            var value = ValueOf(rule, session);
            if (value is not null && rule.Substitute(request, value, contentType))
            {
                _stats.Applied(rule.Options.Name, rule.FromDescription, $"{template.EndpointText} {rule.IntoDescription}", manual: true);
                changed++;
            }
        }

        return changed;
    }

    private static string? ValueOf(ManualRule rule, SessionCorrelation session) =>
        rule.Options.IsValueRule ? rule.Options.Value : session.Manual.GetValueOrDefault(rule.Options.Name);

    /// <summary>
    /// A redacted recording holds a value tokenized where a detector saw it (a created user's <c>id</c> in a response)
    /// and raw where none did (the same id in a later request's variables or path). When the session learned a new
    /// value for a token, each word of this request whose token (with the recording's key) is that token is learned
    /// as the same pairing, so the raw value is replaced like the token would be.
    /// </summary>
    private void LearnTokenAliases(SessionCorrelation session, string url, string body)
    {
        // The learned tokens by kind (tok_id, tok_email…): a word is tokenized once per kind, then looked up.
        Dictionary<string, (string Sample, Dictionary<string, LearnedValue> Learned)>? kinds = null;
        foreach (var (recorded, learned) in session.Values)
        {
            if (RedactionMarks.IsUniqueToken(recorded))
            {
                kinds ??= new(StringComparer.Ordinal);
                var kind = SessionCorrelation.KindOf(recorded);
                if (!kinds.TryGetValue(kind, out var entry))
                {
                    kinds[kind] = entry = (recorded, new Dictionary<string, LearnedValue>(StringComparer.Ordinal));
                }

                entry.Learned[recorded] = learned;
            }
        }

        if (kinds is null)
        {
            return;
        }

        try
        {
            url = Uri.UnescapeDataString(url);
        }
        catch (UriFormatException)
        {
            // Searched as written.
        }

        var words = 0;
        foreach (var text in (ReadOnlySpan<string>)[url, body])
        {
            foreach (var match in AliasWord().EnumerateMatches(text))
            {
                if (++words > MaxAliasWords)
                {
                    return;
                }

                var word = text.Substring(match.Index, match.Length).TrimEnd('.', '-');
                // Only what a token can stand for: an id-shaped word or an address (not query keywords or prose).
                if (word.Length == 0 || word.StartsWith("tok_", StringComparison.Ordinal) || !(CorrelatedPairs.IsIdShaped(word) || word.Contains('@', StringComparison.Ordinal)))
                {
                    continue;
                }

                foreach (var (kind, (sample, learned)) in kinds)
                {
                    if (session.TokenOf(kind, sample, word, _tokens!) is { } token && learned.TryGetValue(token, out var value))
                    {
                        session.Alias(word, value);
                        break;
                    }
                }
            }
        }
    }

    /// <summary>
    /// A redacted recording can mask an anti-forgery token where the secret detector saw it (a response's
    /// <c>{"csrfToken": …}</c> or <c>X-CSRF-Token</c>, masked whole, keeping its length) and keep it raw where none did
    /// (the <c>{"_csrf": …}</c> member or <c>_csrf</c> form field the client sends it back in). The raw value of a
    /// csrf/xsrf-named member whose mask is a credential this session learned from a csrf/xsrf-named member or header is
    /// that token: it is replaced by the new one, as a browser would send the token the new build issued.
    /// </summary>
    private static void LearnCsrfAliases(SessionCorrelation session, string body)
    {
        var seen = 0;
        foreach (Match match in CsrfMember().Matches(body))
        {
            if (++seen > MaxAliasWords)
            {
                return;
            }

            var value = match.Groups["value"].Value;
            if (RedactionMarks.LooksRedacted(value) || session.Values.ContainsKey(value))
            {
                continue;
            }

            if (session.Credentials.TryGetValue(new string('*', value.Length), out var learned) && learned.Header is { } from && IsCsrfName(from))
            {
                session.Alias(value, learned);
            }
        }
    }

    /// <summary>
    /// A cookie the new build set where the recorded answer set none of that name goes in the jar too, as a browser keeps
    /// it: later requests carrying a cookie of that name send it (see <see cref="SessionCorrelation.LearnCookie"/>). A
    /// recorded wrong password replayed with the right one (a value rule) logs in one request early: Django's session
    /// cookie came with that answer, the recorded login's answer (403 now: its CSRF token had rotated) set none, and every
    /// later admin page was sent with the recorded mask and redirected to the login page.
    /// </summary>
    private static void LearnUnrecordedCookies(SessionCorrelation session, SetCookies recorded, SetCookies answered, string from)
    {
        foreach (var (key, values) in answered.Groups)
        {
            if (recorded.Count(key.Name) == 0)
            {
                // The last of its name and path is the one a browser keeps; a deletion drops it.
                var last = values[^1];
                var kept = last.Attributes.Deletes(answered.Headers) ? SessionCorrelation.DeletedCookie : last.Value;
                session.LearnCookie(key.Name, CookieScope.Of(last.Attributes, answered.Request, readDomain: false), SessionCorrelation.UnrecordedCookie, kept, "cookie " + key.Name, from + " Set-Cookie (not in the recording)");
            }
        }
    }

    private static bool IsCsrfName(string name) =>
        name.Contains("csrf", StringComparison.OrdinalIgnoreCase) || name.Contains("xsrf", StringComparison.OrdinalIgnoreCase);

    private static void LearnAuto(SessionCorrelation session, RequestTemplate template, ExchangeResponse recorded, RedactionMarks? redacted, ImmutableArray<HeaderField> headers, ReadOnlySpan<byte> body)
    {
        var from = template.EndpointText + " response";
        var requestUrl = template.Recorded.Request.Url;
        Dictionary<(string Name, string Path), int>? cookieOccurrences = null;
        SetCookies? recordedCookies = null;
        SetCookies? answeredCookies = null;
        var setCookieIndex = 0;
        foreach (var header in recorded.Headers)
        {
            if (header.Name.Equals("Location", StringComparison.OrdinalIgnoreCase) || header.Name.Equals("Content-Location", StringComparison.OrdinalIgnoreCase))
            {
                // A redacted URL (or one holding a token or mask) is not what the application produced.
                if (headers.Get(header.Name) is { } now)
                {
                    if (NamesAChosenPage(template.Recorded.Request.Method, header.Value))
                    {
                        continue;
                    }

                    if (redacted?.Under("response.header:" + header.Name.ToLowerInvariant()) != true && !RedactionMarks.LooksRedacted(header.Value))
                    {
                        LearnUrl(session, header.Value, now, header.Name, from + " " + header.Name);
                    }
                    else
                    {
                        LearnRedactedUrl(session, header.Value, now, header.Name, from + " " + header.Name);
                    }
                }
            }
            else if (header.Name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
            {
                // Each response's Set-Cookie headers are read once (pairs, attributes, paths, counts), and the request URL
                // once: this header is the recorded response's next one.
                recordedCookies ??= new SetCookies(recorded.Headers, CookieScope.HostAndPath(requestUrl));
                answeredCookies ??= new SetCookies(headers, recordedCookies.Request);
                var cookie = recordedCookies.All[setCookieIndex++];
                var name = cookie.Name;
                var value = cookie.Value;
                if (name.Length == 0)
                {
                    continue;
                }

                var scope = CookieScope.Of(cookie.Attributes, recordedCookies.Request);
                cookieOccurrences ??= new Dictionary<(string Name, string Path), int>();
                var occurrence = cookieOccurrences.GetValueOrDefault((name, scope.Path));
                cookieOccurrences[(name, scope.Path)] = occurrence + 1;

                // A cookie is one per name, domain and path (RFC 6265 5.3): the recorded one pairs with the new one of the same
                // name and path. The last recorded occurrence is the value the browser kept: it pairs with the new response's
                // last one, however many times either response set the cookie (the new login may delete and reset it where
                // the recorded one set it once).
                var paired = occurrence == recordedCookies.Count(name, scope.Path) - 1 ? int.MaxValue : occurrence;
                if (answeredCookies.Find(name, scope.Path, paired) is { } set)
                {
                    // A masked or tokenized session cookie still reaches the requests after it in its scope. A deletion the
                    // recorded answer did not make drops that cookie (that name, domain and path) from the requests after it.
                    var now = set.Value;
                    if (set.Attributes.Deletes(headers) && !cookie.Attributes.Deletes(recorded.Headers))
                    {
                        session.LearnCookie(name, scope, value, SessionCorrelation.DeletedCookie, "cookie " + name, from + " Set-Cookie (deleted)");
                        continue;
                    }

                    session.LearnCookie(name, scope, value, now, "cookie " + name, from + " Set-Cookie");
                    if (redacted?.Under("response.header:set-cookie") != true && !RedactionMarks.LooksRedacted(value))
                    {
                        session.Learn(value, now, "cookie " + name, from + " Set-Cookie");
                    }
                }
            }
            else if (IsValidator(header.Name))
            {
                // An ETag the client sends back (If-None-Match, If-Match, If-Range): the target's differs from the
                // recording's when the resource holds new ids or timestamps, and the recorded one would turn a recorded
                // 304 into a 200 (or a recorded conditional update into a 412). Last-Modified needs no pairing: the
                // time shift moves If-Modified-Since with the clock.
                // Kept apart from the values substituted anywhere (see SessionCorrelation.Validators).
                if (headers.Get(header.Name) is { } now && redacted?.Under("response.header:" + header.Name.ToLowerInvariant()) != true && !RedactionMarks.LooksRedacted(header.Value))
                {
                    session.LearnValidator(header.Value.Trim(), now.Trim(), "header " + header.Name, from + " header " + header.Name);
                }
            }
            // A header named like an id (a GENA subscription's SID, a Mcp-Session-Id, an X-Upload-Id) is issued by the
            // server for the client to send back in a header of its own: learned like a token, substituted only where a
            // later request holds the recorded value whole. An issued id is an opaque run (a UUID, uuid:…, an upload
            // id); a short one names the server (X-Node-Id: 1, X-Shard-Id: 3) and, paired with another node's number,
            // would repoint every later path segment or id that happens to be that number.
            else if ((IsTokenName(header.Name) || (IsIdHeader(header.Name) && header.Value.Trim().Length >= MinIssuedIdHeader)) && headers.Get(header.Name) is { } now)
            {
                if (redacted?.Under("response.header:" + header.Name.ToLowerInvariant()) == true || RedactionMarks.LooksRedacted(header.Value))
                {
                    session.LearnCredential(header.Value, now, "header " + header.Name, from + " header " + header.Name, header.Name, header.Name);
                }
                else
                {
                    session.Learn(header.Value, now, "header " + header.Name, from + " header " + header.Name);
                }
            }
        }

        if (HasSetCookie(headers))
        {
            var request = recordedCookies?.Request ?? CookieScope.HostAndPath(requestUrl);
            LearnUnrecordedCookies(session, recordedCookies ?? new SetCookies(recorded.Headers, request), answeredCookies ?? new SetCookies(headers, request), from);
        }

        if (recorded.Body is { } recordedBody && body.Length > 0 && body.Length <= MaxBodyBytes && recordedBody.Content.Length <= MaxBodyBytes)
        {
            var old = recordedBody.Content.Span;
            if (GrpcMessages.IsGrpc(recordedBody.MediaType ?? recorded.Headers.Get("Content-Type")))
            {
                GrpcMessages.Learn(session, old, body, from + " body");
            }
            else if (LooksLikeJson(old) && LooksLikeJson(body) && old.IndexOf(Core.Protocols.FramedJson.RecordSeparator) < 0)
            {
                LearnJson(session, old, body, from + " body", redacted, "response.body:");
            }
            else if (LearnFramedJson(session, old, body, from + " body", redacted, "response.body:"))
            {
                // Engine.IO / Socket.IO packets, SignalR records: learned record by record.
            }
            else
            {
                if (LooksLikeXml(old) && LooksLikeXml(body))
                {
                    LearnXml(session, old, body, from + " body", redacted);
                }

                // Both bodies as text, decoded once for the two learners below (each at most MaxBodyBytes, checked above).
                string? oldText = null, nowText = null;
                if (old.IndexOf("csrf"u8) >= 0 || old.IndexOf("oken"u8) >= 0 || old.IndexOf("OKEN"u8) >= 0 || old.IndexOf("ession"u8) >= 0 || old.IndexOf("once"u8) >= 0)
                {
                    LearnHtmlTokens(session, oldText ??= Encoding.UTF8.GetString(old), nowText ??= Encoding.UTF8.GetString(body), from + " body");
                }

                if (old.IndexOf("=tok_"u8) >= 0 && old.IndexOf("href="u8) >= 0)
                {
                    LearnLinkTokens(session, oldText ??= Encoding.UTF8.GetString(old), nowText ??= Encoding.UTF8.GetString(body), from + " body");
                }
            }
        }
    }

    /// <summary>
    /// JSON in a framing (<see cref="Core.Protocols.FramedJson"/>: <c>0{"sid":…}</c>, <c>431[{"id":689}]</c>, SignalR's
    /// 0x1E-ended records): the recorded and the new records are paired by position and each pair learned like a JSON
    /// body. False when either side is not framed JSON.
    /// </summary>
    private static bool LearnFramedJson(SessionCorrelation session, ReadOnlySpan<byte> recorded, ReadOnlySpan<byte> now, string from, RedactionMarks? redacted, string location)
    {
        if (Core.Protocols.FramedJson.SplitData(recorded) is not { } oldRecords || Core.Protocols.FramedJson.SplitData(now) is not { } newRecords)
        {
            return false;
        }

        for (var i = 0; i < oldRecords.Count && i < newRecords.Count; i++)
        {
            var (o, n) = (oldRecords[i], newRecords[i]);
            LearnJson(session, recorded.Slice(o.JsonStart, o.JsonLength), now.Slice(n.JsonStart, n.JsonLength), oldRecords.Count == 1 ? from : from + " record " + i.ToString(System.Globalization.CultureInfo.InvariantCulture), redacted, location);
        }

        return true;
    }

    /// <summary>
    /// True when a GET's (or HEAD's) Location names a page the server chose, not a value it issued: no query and no path
    /// segment shaped like an id. kiwix-serve's <c>/random</c> redirects to an article of its choosing; paired like an id,
    /// its recorded <c>/fieldguide/Alpine_Meadows.html</c> became <c>/fieldguide/index.html</c> in a later request for
    /// Alpine_Meadows.html, and diff reported the wrong page (QA round 15b). A POST's redirect names what it made (a
    /// slug, <c>/posts/hello-world-2</c>) and is learned as before; so is a redirect holding an id or a query (an upload
    /// session, an OAuth <c>?code=</c>).
    /// </summary>
    private static bool NamesAChosenPage(string method, string location)
    {
        if (!(method.Equals("GET", StringComparison.OrdinalIgnoreCase) || method.Equals("HEAD", StringComparison.OrdinalIgnoreCase))
            || location.Contains('?', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var segment in UrlParts.Path(location).ToString().Split('/'))
        {
            if (Core.Analysis.PathTemplate.IsVariable(segment))
            {
                return false;
            }
        }

        return true;
    }

    private static void LearnUrl(SessionCorrelation session, string recorded, string now, string rule, string from)
    {
        session.Learn(recorded, now, rule, from);
        if (recorded.Contains('?', StringComparison.Ordinal))
        {
            // A query value the server issued (an upload session's ?_state=, a signed URL's token): an opaque value (an
            // id shape, or 16+ characters) pairs with the same parameter's new value; ?page=2 and ?sort=name never do (a
            // number is an id only with 6+ digits or under an id-like name: ?orderId=42).
            var newQuery = QueryPairs(now);
            foreach (var (name, value) in QueryPairs(recorded))
            {
                if (newQuery.TryGetValue(name, out var fresh) && !string.Equals(value, fresh, StringComparison.Ordinal)
                    && (value.Length >= 16 || (Core.Analysis.PathTemplate.IsVariable(value) && (value.Length >= 6 || !IsDigits(value) || IsIdName(name)))))
                {
                    session.Learn(value, fresh, rule + " query " + name, from);
                }
            }
        }

        var oldPath = UrlParts.Path(recorded).ToString().Split('/');
        var newPath = UrlParts.Path(now).ToString().Split('/');
        if (oldPath.Length == newPath.Length)
        {
            for (var i = 0; i < oldPath.Length; i++)
            {
                // An unchanged id segment is learned too: it is the latest word on what that value names.
                if (!string.Equals(oldPath[i], newPath[i], StringComparison.Ordinal) || Core.Analysis.PathTemplate.IsVariable(oldPath[i]))
                {
                    session.Learn(oldPath[i], newPath[i], rule + " path segment " + i, from);
                }
            }
        }
    }

    /// <summary>
    /// A URL the recording holds partly redacted (an upload session's <c>Location</c> whose signed <c>?_state=</c> was
    /// masked): the whole URL is not what the application produced, but its path segments that are no redaction output
    /// are (the upload UUID), and each masked query parameter pairs with the new value of the same parameter.
    /// </summary>
    private static void LearnRedactedUrl(SessionCorrelation session, string recorded, string now, string rule, string from)
    {
        var oldPath = UrlParts.Path(recorded).ToString().Split('/');
        var newPath = UrlParts.Path(now).ToString().Split('/');
        if (oldPath.Length == newPath.Length)
        {
            for (var i = 0; i < oldPath.Length; i++)
            {
                if (!RedactionMarks.LooksRedacted(oldPath[i])
                    && (!string.Equals(oldPath[i], newPath[i], StringComparison.Ordinal) || Core.Analysis.PathTemplate.IsVariable(oldPath[i])))
                {
                    session.Learn(oldPath[i], newPath[i], rule + " path segment " + i, from);
                }
            }
        }

        var newQuery = QueryPairs(now);
        foreach (var (name, value) in QueryPairs(recorded))
        {
            if (RedactionMarks.LooksRedacted(value) && newQuery.TryGetValue(name, out var fresh) && !RedactionMarks.LooksRedacted(fresh)
                && session.QueryMasks.Count < SessionCorrelation.MaxValues)
            {
                session.QueryMasks[(name, value)] = new LearnedValue(fresh, rule + " query " + name, from);
            }
        }
    }

    /// <summary>The decoded query parameters of a URL (the last of a repeated name).</summary>
    private static Dictionary<string, string> QueryPairs(string url)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        var q = url.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return pairs;
        }

        var hash = url.IndexOf('#', q);
        foreach (var part in url[(q + 1)..(hash < 0 ? url.Length : hash)].Split('&'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                pairs[Uri.UnescapeDataString(part[..eq])] = Uri.UnescapeDataString(part[(eq + 1)..]);
            }
        }

        return pairs;
    }

    private static void LearnJson(SessionCorrelation session, ReadOnlySpan<byte> recorded, ReadOnlySpan<byte> now, string from, RedactionMarks? redacted, string location)
    {
        JsonNode? oldRoot, newRoot;
        try
        {
            oldRoot = JsonNode.Parse(recorded);
            newRoot = JsonNode.Parse(now);
        }
        catch (JsonException)
        {
            return;
        }

        var leaves = 0;
        try
        {
            Walk(oldRoot, newRoot, "$", null, 0, false);
        }
        catch (ArgumentException)
        {
            // Duplicate keys (legal JSON, rejected by JsonObject): learning is best-effort, the request stands.
        }

        // inList: paired by position in an array. A list is no evidence that a value is unchanged (the target's list
        // may hold other records at that position: a pre-existing 4 where the recording's 4 was the record this
        // session created, now 5), so an unchanged pairing there neither adds nor forgets anything.
        void Walk(JsonNode? oldNode, JsonNode? newNode, string path, string? key, int depth, bool inList)
        {
            if (oldNode is null || newNode is null || depth > 16 || leaves > MaxLeaves)
            {
                return;
            }

            switch (oldNode)
            {
                case JsonObject obj when newNode is JsonObject newObj:
                    foreach (var (name, child) in obj)
                    {
                        if (newObj.TryGetPropertyValue(name, out var newChild))
                        {
                            Walk(child, newChild, Member(path, name), name, depth + 1, inList);
                        }
                    }

                    break;
                case JsonArray array when newNode is JsonArray newArray:
                    for (var i = 0; i < array.Count && i < newArray.Count && i < 50; i++)
                    {
                        Walk(array[i], newArray[i], path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", key, depth + 1, true);
                    }

                    break;
                case JsonValue value when newNode is JsonValue newValue:
                    leaves++;
                    if (Interesting(value, key) is { } oldText && Scalar(newValue) is { } newText
                        && !(inList && string.Equals(oldText, newText, StringComparison.Ordinal)))
                    {
                        LearnLeaf(session, redacted, location, oldText, newText, key, path, from, inList);
                    }
                    else if (redacted?.IssuedAt(location + path) is { } issued && value.GetValueKind() == JsonValueKind.String && newValue.GetValueKind() == JsonValueKind.String)
                    {
                        // A credential issued with its scheme ({"token": "Bearer ****"}: no value by itself, it has a space):
                        // redaction keyed the credential after the scheme, the part a request's Authorization sends.
                        session.LearnIssued(issued, AfterScheme(value.GetValue<string>(), newValue.GetValue<string>()), path, from + " " + path);
                        if (IsMask(value.GetValue<string>()))
                        {
                            // Issued under a name that is no token's (a JSON-RPC login's bare {"result": "****"}: the
                            // Zabbix API): a masked token-named field of a later request ("auth") stands for it (QA 14a).
                            session.LearnCredential(value.GetValue<string>(), newValue.GetValue<string>(), path, from + " " + path, key ?? path);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// XML and SOAP responses: element text and attribute values at the same place (local names, the n-th element
    /// of a name among its siblings) are paired like JSON leaves, in the notation redaction locations use
    /// (<c>/Envelope/Body/CreateCustomerResponse/id</c>). A document that does not parse is skipped.
    /// </summary>
    internal static void LearnXml(SessionCorrelation session, ReadOnlySpan<byte> recorded, ReadOnlySpan<byte> now, string from, RedactionMarks? redacted)
    {
        XElement? oldRoot, newRoot;
        try
        {
            oldRoot = ParseXml(recorded);
            newRoot = ParseXml(now);
        }
        catch (System.Xml.XmlException)
        {
            return;
        }

        if (oldRoot is null || newRoot is null || oldRoot.Name != newRoot.Name)
        {
            return;
        }

        var leaves = 0;
        Walk(oldRoot, newRoot, "/" + oldRoot.Name.LocalName, 0, false);

        // inList: paired as the n-th of several siblings of one name; as in JSON arrays, an unchanged pairing there is
        // no evidence (another record may sit at that position in the target's list).
        void Walk(XElement oldElement, XElement newElement, string path, int depth, bool inList)
        {
            if (depth > 32 || leaves > MaxLeaves)
            {
                return;
            }

            foreach (var attribute in oldElement.Attributes())
            {
                if (!attribute.IsNamespaceDeclaration && newElement.Attribute(attribute.Name) is { } now)
                {
                    Pair(attribute.Value, now.Value, attribute.Name.LocalName, path + "/@" + attribute.Name.LocalName, inList);
                }
            }

            if (!oldElement.HasElements)
            {
                if (!newElement.HasElements)
                {
                    Pair(oldElement.Value.Trim(), newElement.Value.Trim(), oldElement.Name.LocalName, path, inList);
                }

                return;
            }

            // The n-th child of a name is paired with the n-th of that name in the new element: the new children are
            // grouped once (looking each one up among its siblings would be quadratic in a long list).
            var newChildren = new Dictionary<XName, List<XElement>>();
            foreach (var newChild in newElement.Elements())
            {
                if (!newChildren.TryGetValue(newChild.Name, out var named))
                {
                    newChildren[newChild.Name] = named = [];
                }

                named.Add(newChild);
            }

            var seen = new Dictionary<XName, int>();
            foreach (var child in oldElement.Elements())
            {
                seen[child.Name] = seen.GetValueOrDefault(child.Name) + 1;
            }

            var oldCounts = seen;
            seen = new Dictionary<XName, int>();
            foreach (var child in oldElement.Elements())
            {
                if (leaves > MaxLeaves)
                {
                    return;
                }

                var index = seen.GetValueOrDefault(child.Name);
                seen[child.Name] = index + 1;
                if (newChildren.TryGetValue(child.Name, out var named) && index < named.Count)
                {
                    Walk(child, named[index], path + "/" + child.Name.LocalName, depth + 1, inList || named.Count > 1 || oldCounts[child.Name] > 1);
                }
            }
        }

        void Pair(string oldText, string newText, string key, string path, bool inList)
        {
            leaves++;
            if (oldText.Length == 0 || newText.Length == 0 || !InterestingText(oldText, key) || (inList && string.Equals(oldText, newText, StringComparison.Ordinal)))
            {
                return;
            }

            LearnLeaf(session, redacted, "response.body:", oldText, newText, key, path, from, inList);
        }
    }

    /// <summary>
    /// Pairs a recorded leaf with the new one: as a value when the application produced it (or it is a whole token), else,
    /// redacted (e.g. a masked access_token), only as the credential of later requests under a token-named key.
    /// </summary>
    private static void LearnLeaf(SessionCorrelation session, RedactionMarks? redacted, string location, string oldText, string newText, string? key, string path, string from, bool inList)
    {
        if ((redacted?.Contains(location + path) != true && !RedactionMarks.LooksRedacted(oldText)) || RedactionMarks.IsUniqueToken(oldText))
        {
            session.Learn(oldText, newText, path, from + " " + path, inList);
            return;
        }

        if (redacted?.IssuedAt(location + path) is { } issued)
        {
            // The recording names the credential this mask stands for (its keyed token): a later request whose
            // Authorization the same token tags sends exactly this new value, whichever login came last.
            session.LearnIssued(issued, newText, path, from + " " + path);
        }

        if (key is not null && IsTokenName(key))
        {
            // The member's name is also the one request header it may later fill as a whole value: an SPA sends the
            // {"csrfToken": …} it was given back as X-CSRF-Token (see SameTokenName).
            session.LearnCredential(oldText, newText, path, from + " " + path, key, key);
        }
    }

    /// <summary>
    /// The new credential after the scheme the recorded value also had (<c>Bearer ****</c> and <c>Bearer abc</c> → <c>abc</c>);
    /// the new value as it is when the recorded one had no scheme or another one.
    /// </summary>
    private static string AfterScheme(string recorded, string now)
    {
        var space = recorded.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && now.Length > space + 1 && now.AsSpan(0, space + 1).Equals(recorded.AsSpan(0, space + 1), StringComparison.OrdinalIgnoreCase)
            ? now[(space + 1)..].TrimStart()
            : now;
    }

    /// <summary>
    /// Whether a request header is the one a redacted credential learned under <paramref name="learnedFrom"/> (a
    /// response header or a JSON member) goes back in: the same name ignoring case, separators and an <c>X-</c>
    /// prefix, so <c>csrfToken</c>, <c>csrf_token</c> and <c>X-CSRF-Token</c> are one name.
    /// </summary>
    internal static bool SameTokenName(string learnedFrom, string headerName)
    {
        if (learnedFrom.Equals(headerName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return NormalizedTokenName(learnedFrom).Equals(NormalizedTokenName(headerName), StringComparison.Ordinal);
    }

    private static string NormalizedTokenName(string name)
    {
        if (name.StartsWith("x-", StringComparison.OrdinalIgnoreCase))
        {
            name = name[2..];
        }

        var builder = new System.Text.StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static XElement? ParseXml(ReadOnlySpan<byte> bytes)
    {
        var settings = new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxBodyBytes * 4L };
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        using var reader = System.Xml.XmlReader.Create(stream, settings);
        return XDocument.Load(reader).Root;
    }

    /// <summary>An XML value worth pairing: digits like a JSON number, anything else like a JSON string.</summary>
    private static bool InterestingText(string text, string key)
    {
        if (text.Length <= 18 && text.All(char.IsAsciiDigit))
        {
            return IsIdName(key) || text.Length >= 4;
        }

        return text.Length is >= 3 and <= 4096 && !text.Contains(' ', StringComparison.Ordinal)
            && (IsIdName(key) || IsTokenName(key) || Core.Analysis.PathTemplate.IsVariable(text));
    }

    /// <summary>A member step in the notation redaction locations use (<c>$.a.b</c>, <c>$['a b']</c>), so they compare as text.</summary>
    private static string Member(string path, string name)
    {
        var plain = name.Length > 0 && !char.IsAsciiDigit(name[0]);
        foreach (var c in name)
        {
            plain &= char.IsLetterOrDigit(c) || c is '_' or '-' or '$' or '@';
        }

        return plain ? path + "." + name : path + "['" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']";
    }

    private static string? Interesting(JsonValue value, string? key)
    {
        var kind = value.GetValueKind();
        if (kind == JsonValueKind.Number)
        {
            var text = value.ToJsonString();
            return text.Contains('.', StringComparison.Ordinal) || !(IsIdName(key) || text.Length >= 4) ? null : text;
        }

        if (kind != JsonValueKind.String)
        {
            return null;
        }

        var s = value.GetValue<string>();
        if (s.Length < 3 || s.Length > 4096 || s.Contains(' ', StringComparison.Ordinal))
        {
            return null;
        }

        return IsIdName(key) || IsTokenName(key ?? string.Empty) || Core.Analysis.PathTemplate.IsVariable(s) ? s : null;
    }

    private static string? Scalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.ToJsonString(),
        _ => null,
    };

    /// <summary>
    /// The anti-forgery tokens of an HTML page (or other text): form fields and meta tags named like one (<c>csrf*</c>,
    /// <c>*token*</c>, <c>*nonce*</c>, <c>*session*</c>: <c>_token</c>, phpMyAdmin's <c>token</c> and <c>set_session</c>,
    /// <c>authenticity_token</c>), and members of the page's
    /// scripts named like one (<c>rcmail.set_env({"request_token":"…"})</c>, <c>CommonParams.setAll({token:"…"})</c>, or
    /// assigned to a variable like one: Tiny Tiny RSS's <c>const __csrf_token = "…";</c>, QA round 13b, not a comparison),
    /// the settings object an SPA reads its header token from). The recorded and new pages are paired by name and
    /// occurrence; a redacted value is learned as a credential (it goes back in token-named fields and, when the recording
    /// says the header was masked as that secret, in a header of another name: see <see cref="CarriedSecretHeader"/>).
    /// </summary>
    private static void LearnHtmlTokens(SessionCorrelation session, string recorded, string now, string from)
    {
        LearnNamedTokens(session, CsrfField().Matches(recorded), CsrfField().Matches(now), "form field ", from, header: false);
        LearnNamedTokens(session, ScriptTokenMember().Matches(recorded), ScriptTokenMember().Matches(now), "script member ", from, header: true);
        if (now.Contains("<form", StringComparison.OrdinalIgnoreCase) && PageForms.Read(now, IsTokenName) is { Count: > 0 } forms)
        {
            session.SetPageForms(forms, from);
        }
    }

    /// <summary>
    /// Keyed tokens in the query of a page's links (<c>href="zabbix.php?action=user.edit&amp;amp;userid=tok_id_…"</c>): redaction
    /// tokenized an account id there and in the requests the browser made from it, so replay would send a token no instance
    /// knows (QA round 14a). The live page's links are paired with the recorded ones by target (the link up to its query),
    /// parameter name and occurrence, and a token learns the live value there, as an id in a JSON answer does.
    /// </summary>
    private static void LearnLinkTokens(SessionCorrelation session, string recorded, string now, string from)
    {
        var live = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, value) in LinkParameters(now))
        {
            if (!live.TryGetValue(key, out var list))
            {
                live[key] = list = [];
            }

            list.Add(value);
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in LinkParameters(recorded))
        {
            var occurrence = seen.GetValueOrDefault(key);
            seen[key] = occurrence + 1;
            if (RedactedValue.IsKeyedToken(value) && live.TryGetValue(key, out var values) && occurrence < values.Count
                && !RedactedValue.IsKeyedToken(values[occurrence]) && !string.Equals(values[occurrence], value, StringComparison.Ordinal))
            {
                session.Learn(value, values[occurrence], "link " + key[(key.IndexOf(' ', StringComparison.Ordinal) + 1)..], from);
            }
        }
    }

    /// <summary>Each query parameter of each <c>href</c> in the page, keyed <c>target name</c> (<c>zabbix.php userid</c>), decoded.</summary>
    private static IEnumerable<(string Key, string Value)> LinkParameters(string page)
    {
        foreach (Match match in LinkHref().Matches(page))
        {
            var href = System.Net.WebUtility.HtmlDecode(match.Groups["href"].Value);
            var question = href.IndexOf('?', StringComparison.Ordinal);
            if (question < 0)
            {
                continue;
            }

            var target = href[..question];
            var query = href[(question + 1)..];
            var hash = query.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                query = query[..hash];
            }

            foreach (var (name, value) in Core.Protocols.QueryString.Parse(query))
            {
                if (name.Length > 0 && value.Length > 0)
                {
                    yield return (target + " " + name, value);
                }
            }
        }
    }

    [GeneratedRegex("""\bhref=["'](?<href>[^"'<>]{1,2048})["']""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex LinkHref();

    private static void LearnNamedTokens(SessionCorrelation session, MatchCollection oldMatches, MatchCollection newMatches, string rule, string from, bool header)
    {
        // By name and occurrence: the new page may hold a token field the recorded one did not (or the other way round).
        var newByName = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (Match match in newMatches)
        {
            var name = match.Groups["name"].Value;
            if (!newByName.TryGetValue(name, out var list))
            {
                newByName[name] = list = [];
            }

            list.Add(match.Groups["value"].Value);
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match match in oldMatches)
        {
            var name = match.Groups["name"].Value;
            var occurrence = seen.GetValueOrDefault(name);
            seen[name] = occurrence + 1;
            if (!newByName.TryGetValue(name, out var values) || occurrence >= values.Count)
            {
                continue;
            }

            var old = match.Groups["value"].Value;
            if (RedactionMarks.LooksRedacted(old))
            {
                session.LearnCredential(old, values[occurrence], rule + name, from + " " + name, name, header ? name : null);
            }
            else
            {
                session.Learn(old, values[occurrence], rule + name, from + " " + name);
            }
        }
    }

    private int ApplyUrl(SessionCorrelation session, RequestTemplate template, OutgoingRequest request)
    {
        var url = request.Url;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var pathStart = schemeEnd < 0 ? 0 : url.IndexOf('/', schemeEnd + 3);
        if (pathStart < 0)
        {
            return 0;
        }

        var builder = new StringBuilder(url.Length + 16).Append(url, 0, pathStart);
        var changed = 0;
        var i = pathStart;
        var inQuery = false;
        var before = '/';
        string? parameter = null;
        while (i < url.Length)
        {
            var end = i;
            while (end < url.Length && url[end] != '/' && url[end] != '?' && url[end] != '&' && url[end] != '=' && url[end] != '#')
            {
                end++;
            }

            var token = url[i..end];
            var isName = inQuery && before is ('?' or '&') && end < url.Length && url[end] == '=';
            if (inQuery && before is ('?' or '&'))
            {
                parameter = isName ? Uri.UnescapeDataString(token) : null;
            }

            // A query parameter's name is never a value; a short number is replaced only in a parameter named like an id
            // (?customerId=4), as it is learned only from one: ?page=2&limit=2 must not follow an order id 2 -> 3.
            var skip = isName || (inQuery && before == '=' && IsShortNumber(token) && !IsIdName(parameter));
            if (inQuery && before == '=' && parameter is not null && session.QueryMasks.Count > 0 && token.Length > 0
                && session.QueryMasks.TryGetValue((parameter, Uri.UnescapeDataString(token)), out var unmasked))
            {
                builder.Append(Uri.EscapeDataString(unmasked.Value));
                changed++;
                _stats.Applied(unmasked.Rule, unmasked.From, template.EndpointText + " query", manual: false);
            }
            else if (inQuery && before == '=' && parameter is not null && session.Credentials.Count > 0 && IsRedactedCredential(token)
                && MaskedTokenField(session, parameter, Uri.UnescapeDataString(token)) is { } credential)
            {
                // ?token=****: a masked anti-forgery or access token sent back in the query (see MaskedTokenField).
                builder.Append(Uri.EscapeDataString(credential.Value));
                changed++;
                _stats.Applied(credential.Rule, credential.From, template.EndpointText + " query", manual: false);
            }
            else if (token.Length > 0 && !skip && session.Values.TryGetValue(Uri.UnescapeDataString(token), out var learned))
            {
                builder.Append(Uri.EscapeDataString(learned.Value));
                changed++;
                _stats.Applied(learned.Rule, learned.From, template.EndpointText + (inQuery ? " query" : " path"), manual: false);
            }
            else
            {
                builder.Append(token);
            }

            if (end < url.Length)
            {
                inQuery |= url[end] == '?';
                before = url[end];
                builder.Append(url[end]);
            }

            i = end + 1;
        }

        if (changed > 0)
        {
            request.Url = builder.ToString();
        }

        return changed;
    }

    private int ApplyHeaders(SessionCorrelation session, RequestTemplate template, OutgoingRequest request)
    {
        var changed = 0;
        for (var h = 0; h < request.Headers.Count; h++)
        {
            var header = request.Headers[h];
            string value;
            if (header.Name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            {
                value = ReplaceCookieValues(session, template, header.Value, ref changed);
            }
            else if (IsConditional(header.Name))
            {
                value = ReplaceValidators(session, template, header, ref changed);
            }
            else if (session.Issued.Count > 0 && header.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && (Credential(header) ?? WholeCredential(header)) is { } sent
                && template.Recorded.Tags.TryGetValue(WellKnownTags.RedactedAuthorization, out var fingerprint) && session.Issued.TryGetValue(fingerprint, out var own))
            {
                // The credential this request sent is one a response of the session issued (the same keyed token): its new
                // value, even when another login since issued a credential that masks the same.
                if (string.Equals(own.Value, sent.Value, StringComparison.Ordinal))
                {
                    continue;
                }

                value = header.Value[..sent.Start] + own.Value;
                changed++;
                _stats.Applied(own.Rule, own.From, $"{template.EndpointText} header {header.Name}", manual: false);
            }
            else if (session.Values.TryGetValue(header.Value, out var whole)
                || (session.Credentials.TryGetValue(header.Value, out whole) && whole.Header is { } learnedFrom && SameTokenName(learnedFrom, header.Name)))
            {
                if (string.Equals(whole.Value, header.Value, StringComparison.Ordinal))
                {
                    continue; // a substitution that changes nothing is not one
                }

                // A credential replaces a whole header value only in the header it was learned from, or named like the
                // JSON member it was learned from (Authorization is handled below, after its scheme): a mask in any
                // other header could stand for anything.
                value = whole.Value;
                changed++;
                _stats.Applied(whole.Rule, whole.From, $"{template.EndpointText} header {header.Name}", manual: false);
            }
            else if (session.Cookies.Count > 0 && DoubleSubmittedCookie(session, header) is { } submitted)
            {
                value = submitted.Value;
                changed++;
                _stats.Applied(submitted.Rule, submitted.From, $"{template.EndpointText} header {header.Name}", manual: false);
            }
            else if (session.Credentials.Count > 0 && CarriedSecretHeader(session, template, header) is { } carried)
            {
                value = carried.Value;
                changed++;
                _stats.Applied(carried.Rule, carried.From, $"{template.EndpointText} header {header.Name}", manual: false);
            }
            else if (session.Credentials.Count > 0 && Credential(header) is { } credential && session.Credentials.TryGetValue(credential.Value, out var issued)
                && !string.Equals(issued.Value, credential.Value, StringComparison.Ordinal))
            {
                value = header.Value[..credential.Start] + issued.Value;
                changed++;
                _stats.Applied(issued.Rule, issued.From, $"{template.EndpointText} header {header.Name}", manual: false);
            }
            else
            {
                // As in bodies, a substituted value is held until every value is replaced (never replaced twice).
                value = header.Value;
                List<string>? held = null;
                var canHold = !HasHeldCharacter(value);
                foreach (var (old, learned) in session.Values)
                {
                    if (old.Length >= 6 && value.Contains(old, StringComparison.Ordinal))
                    {
                        value = BoundedReplace.Replace(value, old, HoldValue(ref held, canHold, learned.Value), out var count);
                        if (count > 0)
                        {
                            changed++;
                            _stats.Applied(learned.Rule, learned.From, $"{template.EndpointText} header {header.Name}", manual: false);
                        }
                    }
                }

                value = ReleaseHeld(value, held);
                if (string.Equals(value, header.Value, StringComparison.Ordinal))
                {
                    value = header.Value;
                }
            }

            if (value.Length == 0 && header.Name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.RemoveAt(h--); // every cookie it sent was deleted
            }
            else if (!ReferenceEquals(value, header.Value))
            {
                request.Headers[h] = new HeaderField(header.Name, value);
            }
        }

        return changed;
    }

    /// <summary>
    /// The cookie a masked CSRF header repeats: the double-submit pattern (Angular's <c>XSRF-TOKEN</c> cookie sent back as
    /// <c>X-XSRF-TOKEN</c>, Django's <c>csrftoken</c> as <c>X-CSRFToken</c>). Both are masked in the recording, at the
    /// token's length; the header gets the new value of the session's CSRF-named cookie whose recorded mask has that length.
    /// SOGo's UI sent the recorded mask and answered every call 500 ("the called object returned no result", QA round 15b).
    /// </summary>
    private static LearnedValue? DoubleSubmittedCookie(SessionCorrelation session, HeaderField header) =>
        IsCsrfName(header.Name) && IsMask(header.Value) && header.Value.AsSpan().IndexOfAnyExcept('*') < 0
            ? session.Cookies.LatestMasked(IsCsrfName, header.Value.Length)
            : null;

    /// <summary>
    /// The credential a masked request header of another name stands for. An SPA sends the token its page was given
    /// (<c>"request_token":"…"</c>) back in a header of its own (Roundcube's <c>X-Roundcube-Request</c>), whose name ties it
    /// to nothing; but the recording says why the header was masked: the recorder had seen its value as a secret earlier
    /// in the stream (<c>carried:secret</c>) or in the same exchange (<c>same-value:secret</c>). Such a header, whose whole
    /// value is a mask the session learned a credential for (the latest response issuing a token of that length, not two
    /// different ones), gets that credential. A header masked for another reason (its name is on the deny list) keeps it.
    /// </summary>
    private static LearnedValue? CarriedSecretHeader(SessionCorrelation session, RequestTemplate template, HeaderField header)
    {
        if (!IsMask(header.Value) || session.AmbiguousCredentials.Contains(header.Value)
            || !session.Credentials.TryGetValue(header.Value, out var learned) || string.Equals(learned.Value, header.Value, StringComparison.Ordinal))
        {
            return null;
        }

        var location = "request.header:" + header.Name.ToLowerInvariant();
        foreach (var redaction in template.Recorded.Redactions)
        {
            if (redaction.Location.Equals(location, StringComparison.Ordinal)
                && (redaction.Rule.StartsWith("carried:", StringComparison.Ordinal) || redaction.Rule.StartsWith("same-value:", StringComparison.Ordinal))
                && IsSecretRule(redaction.Rule.AsSpan(redaction.Rule.IndexOf(':') + 1)))
            {
                return learned;
            }
        }

        return null;
    }

    private static bool IsSecretRule(ReadOnlySpan<char> rule) =>
        rule is "secret" or "bearer-token" or "api-key" or "jwt" or "header-deny";

    /// <summary>The credential after the scheme of an Authorization header (<c>Bearer X</c> → X), and where it starts.</summary>
    private static (string Value, int Start)? Credential(HeaderField header)
    {
        if (!header.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && !header.Name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var space = header.Value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var start = space + 1;
        while (start < header.Value.Length && header.Value[start] == ' ')
        {
            start++;
        }

        return start < header.Value.Length ? (header.Value[start..], start) : null;
    }

    /// <summary>
    /// An Authorization value without a scheme (<c>Authorization: eyJ…</c>): redaction keys it whole (the same keyed token
    /// a login's <c>redaction.issued</c> names), so it is the credential as it is.
    /// </summary>
    private static (string Value, int Start)? WholeCredential(HeaderField header) =>
        header.Value.Length > 0 && !header.Value.Contains(' ', StringComparison.Ordinal) ? (header.Value, 0) : null;

    /// <summary>The request headers that carry entity tags back (<see cref="SessionCorrelation.Validators"/>).</summary>
    internal static bool IsConditional(string name) =>
        name.Equals("If-None-Match", StringComparison.OrdinalIgnoreCase) || name.Equals("If-Match", StringComparison.OrdinalIgnoreCase)
        || name.Equals("If-Range", StringComparison.OrdinalIgnoreCase);

    /// <summary>Each entity tag of a conditional header's list (<c>"a", W/"b"</c>) the session learned a new tag for, replaced by it.</summary>
    private string ReplaceValidators(SessionCorrelation session, RequestTemplate template, HeaderField header, ref int changed)
    {
        if (session.Validators.Count == 0 && session.Values.Count == 0)
        {
            return header.Value;
        }

        if (session.Validators.TryGetValue(header.Value.Trim(), out var whole))
        {
            changed++;
            _stats.Applied(whole.Rule, whole.From, $"{template.EndpointText} header {header.Name}", manual: false);
            return whole.Value;
        }

        var tags = header.Value.Split(',');
        var any = false;
        for (var i = 0; i < tags.Length && i < 64; i++)
        {
            if (session.Validators.TryGetValue(tags[i].Trim(), out var learned))
            {
                tags[i] = (i == 0 ? string.Empty : " ") + learned.Value;
                any = true;
                changed++;
                _stats.Applied(learned.Rule, learned.From, $"{template.EndpointText} header {header.Name}", manual: false);
            }
            else if (TagFromBody(session, tags[i].Trim()) is var (tag, fromBody))
            {
                tags[i] = (i == 0 ? string.Empty : " ") + tag;
                any = true;
                changed++;
                _stats.Applied(fromBody.Rule, fromBody.From, $"{template.EndpointText} header {header.Name}", manual: false);
            }
        }

        return any ? string.Join(',', tags) : header.Value;
    }

    /// <summary>
    /// An entity tag whose opaque value the session learned from a body rather than an <c>ETag</c> header (an API that
    /// returns <c>{"etag":"3f2a…"}</c>), with the new value in its place; only values of 8 characters or more, so a
    /// version number (<c>"1"</c>) learned elsewhere never rewrites a tag.
    /// </summary>
    private static (string Tag, LearnedValue Learned)? TagFromBody(SessionCorrelation session, string tag)
    {
        var weak = tag.StartsWith("W/", StringComparison.Ordinal);
        var opaque = (weak ? tag[2..] : tag).Trim('"');
        if (opaque.Length < 8 || !session.Values.TryGetValue(opaque, out var learned) || string.Equals(learned.Value, opaque, StringComparison.Ordinal))
        {
            return null;
        }

        return ((weak ? "W/\"" : "\"") + learned.Value + "\"", learned);
    }

    /// <summary>The <c>Cookie</c> header with learned values sent and deleted cookies left out (empty when none is left).</summary>
    private string ReplaceCookieValues(SessionCorrelation session, RequestTemplate template, string cookie, ref int changed)
    {
        var parts = cookie.Split(';');
        var any = false;
        var dropped = false;
        (string Host, string Path)? scope = null;
        List<long>? used = null;
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var current = parts[i][(eq + 1)..].Trim();
            CookieEntry? entry = null;
            if (session.Cookies.Count > 0)
            {
                // The cookie in scope for the recorded request's host and path; a header naming one cookie twice (two paths)
                // lists the longer path first (RFC 6265 5.4), so each occurrence takes the next entry in that order.
                scope ??= CookieScope.HostAndPath(template.Recorded.Request.Url);
                entry = session.Cookies.Find(parts[i][..eq].Trim(), scope.Value.Host, scope.Value.Path, current, used);
                if (entry is { } found)
                {
                    (used ??= []).Add(found.Sequence);
                }
            }

            if (entry is { } jar && !string.Equals(jar.New.Value, current, StringComparison.Ordinal))
            {
                any = true;
                changed++;
                _stats.Applied(jar.New.Rule, jar.New.From, $"{template.EndpointText} cookie {parts[i][..eq].Trim()}", manual: false);
                if (ReferenceEquals(jar.New.Value, SessionCorrelation.DeletedCookie))
                {
                    parts[i] = string.Empty;
                    dropped = true;
                    continue;
                }

                parts[i] = parts[i][..(eq + 1)] + jar.New.Value;
            }
            else if (session.Values.TryGetValue(current, out var learned) && !string.Equals(learned.Value, current, StringComparison.Ordinal))
            {
                parts[i] = parts[i][..(eq + 1)] + learned.Value;
                any = true;
                changed++;
                _stats.Applied(learned.Rule, learned.From, $"{template.EndpointText} cookie {parts[i][..eq].Trim()}", manual: false);
            }
        }

        if (dropped)
        {
            return string.Join("; ", parts.Where(part => part.Length > 0).Select(part => part.Trim()));
        }

        return any ? string.Join(';', parts) : cookie;
    }

    /// <param name="session">The session's learned values.</param>
    /// <param name="template">The request's template (for the report).</param>
    /// <param name="request">The request being built.</param>
    /// <param name="text">The request body as text; null when it has none or it is not UTF-8.</param>
    private int ApplyBody(SessionCorrelation session, RequestTemplate template, OutgoingRequest request, string? text)
    {
        if (text is null)
        {
            return 0;
        }

        if (IsForm(ContentTypeOf(request) ?? template.Recorded.Request.Body?.MediaType))
        {
            return ApplyFormBody(session, template, request, text);
        }

        var changed = 0;
        // Only a one-character learned value needs the id-member passes below (longer ones are whole tokens anywhere).
        var oneCharacter = false;
        foreach (var key in session.Values.Keys)
        {
            if (key.Length == 1)
            {
                oneCharacter = true;
                break;
            }
        }

        // Every new value is held behind a private-use placeholder until all values are replaced, so that a later pass
        // cannot replace it again: 14 -> 24, then 24 -> 34 learned from another create, would send another customer's id.
        List<string>? held = null;
        var canHold = !HasHeldCharacter(text);
        string Hold(string value) => HoldValue(ref held, canHold, value);

        if (oneCharacter && LooksLikeXml(request.Body.Span))
        {
            // A one-character id (<customerId>4</customerId>) is too short to replace as a token anywhere in a body,
            // but as the whole text of an element named like an id it is unambiguous.
            text = XmlIdElement().Replace(text, match =>
            {
                var value = match.Groups["value"].Value;
                if (value.Length < 2 && IsIdName(match.Groups["name"].Value) && session.Values.TryGetValue(value, out var learned)
                    && !string.Equals(learned.Value, value, StringComparison.Ordinal))
                {
                    changed++;
                    _stats.Applied(learned.Rule, learned.From, template.EndpointText + " body", manual: false);
                    return match.Groups["open"].Value + Hold(System.Security.SecurityElement.Escape(learned.Value)) + match.Groups["close"].Value;
                }

                return match.Value;
            });
        }

        else if (oneCharacter && LooksLikeJson(request.Body.Span) && text.Length <= MaxBodyBytes)
        {
            // The same for JSON: {"customerId": 4} after a create that answered 4 and now answers 5.
            text = JsonIdMember().Replace(text, match =>
            {
                var value = match.Groups["value"].Value;
                if (IsIdName(match.Groups["name"].Value) && session.Values.TryGetValue(value, out var learned)
                    && !string.Equals(learned.Value, value, StringComparison.Ordinal))
                {
                    changed++;
                    _stats.Applied(learned.Rule, learned.From, template.EndpointText + " body", manual: false);
                    var quote = match.Groups["quote"].Value;
                    var replacement = quote.Length == 0 && IsJsonNumber(learned.Value) ? learned.Value
                        : quote.Length > 0 ? JsonEncodedText.Encode(learned.Value).ToString() : "\"" + JsonEncodedText.Encode(learned.Value).ToString() + "\"";
                    return match.Groups["head"].Value + Hold(replacement) + quote;
                }

                return match.Value;
            });
        }

        if (session.Credentials.Count > 0 && text.Length <= MaxBodyBytes
            && (text.Contains("******", StringComparison.Ordinal) || text.Contains("%2A%2A%2A", StringComparison.OrdinalIgnoreCase) || text.Contains("tok_secret_", StringComparison.Ordinal)))
        {
            // The recording's tag of the credentials this request sent masked, read once for all its masked fields.
            var sent = session.Issued.Count > 0 ? RedactionMarks.Sent(template.Recorded) : null;
            text = MaskedTokenValue().Replace(text, match =>
            {
                var value = match.Groups["value"];
                if (!IsRedactedCredential(value.Value)
                    || (SentCredential(session, sent, match.Groups["name"].Value, Uri.UnescapeDataString(value.Value))
                        ?? MaskedTokenField(session, match.Groups["name"].Value, Uri.UnescapeDataString(value.Value))) is not { } credential)
                {
                    return match.Value;
                }

                changed++;
                _stats.Applied(credential.Rule, credential.From, template.EndpointText + " body", manual: false);
                var encoded = match.Groups["form"].Success ? Uri.EscapeDataString(credential.Value)
                    : match.Groups["json"].Success ? JsonStringContent(credential.Value)
                    : match.Groups["xml"].Success ? XmlText(credential.Value)
                    : credential.Value;
                return match.Value[..(value.Index - match.Index)] + Hold(encoded) + match.Value[(value.Index - match.Index + value.Length)..];
            });
        }

        // A new value goes into the body written as the body writes text: a JSON string escapes '"' and '\', XML escapes
        // '<' and '&' (MediaWiki's tokens end in "+\"; a raw backslash ended the JSON string early).
        Func<string, string> escape = LooksLikeJson(request.Body.Span) ? JsonStringContent : LooksLikeXml(request.Body.Span) ? XmlText : static value => value;
        foreach (var (old, learned) in session.Values)
        {
            if (old.Length < 2 || text.IndexOf(old, StringComparison.Ordinal) < 0)
            {
                continue;
            }

            text = BoundedReplace.Replace(text, old, Hold(escape(learned.Value)), out var count);
            if (count > 0)
            {
                changed += count;
                _stats.Applied(learned.Rule, learned.From, template.EndpointText + " body", manual: false);
            }
        }

        text = ReleaseHeld(text, held);
        if (changed > 0)
        {
            request.Body = Encoding.UTF8.GetBytes(text);
        }

        return changed;
    }

    /// <summary>
    /// Substitutes into an <c>application/x-www-form-urlencoded</c> body pair by pair: each value is decoded, gets the
    /// learned values (whole, or as whole tokens within it, like a text body; a masked token field its credential, see
    /// <see cref="MaskedTokenField"/>; a one-character value only under an id-like name), and a changed value is encoded
    /// again. Names and untouched pairs keep their bytes. The body as text used to get the raw new value: a token
    /// ending in <c>+\</c> (MediaWiki) arrived with a space for the <c>+</c> (badtoken), and a recorded value the form
    /// had escaped (<c>%40</c>) was never found.
    /// </summary>
    private int ApplyFormBody(SessionCorrelation session, RequestTemplate template, OutgoingRequest request, string text)
    {
        if (text.Length > MaxBodyBytes)
        {
            return 0;
        }

        var pairs = text.Split('&');
        var changed = 0;
        // The posted pairs decoded (those before the first token field as rewritten by then), read when that field needs them.
        List<KeyValuePair<string, string>>? posted = null;
        for (var i = 0; i < pairs.Length; i++)
        {
            var pair = pairs[i];
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == pair.Length - 1)
            {
                continue;
            }

            var name = Core.Protocols.QueryString.Decode(pair.AsSpan(0, eq));
            var value = Core.Protocols.QueryString.Decode(pair.AsSpan(eq + 1));
            string? replaced = null;
            if (session.PageForms.Count > 0 && IsTokenName(name) && IsRedactedCredential(value)
                && PageForms.TokenOf(session.PageForms, name, posted ??= Core.Protocols.QueryString.Parse(string.Join('&', pairs))) is { } token && !string.Equals(token, value, StringComparison.Ordinal))
            {
                // The token of the form this post came from, told by its hidden fields: masks of one length are ambiguous.
                replaced = token;
                changed++;
                _stats.Applied("form field " + name, session.PageFormsFrom + " " + name, template.EndpointText + " body", manual: false);
            }
            else if (session.Credentials.Count > 0 && IsRedactedCredential(value) && MaskedTokenField(session, name, value) is { } credential)
            {
                replaced = credential.Value;
                changed++;
                _stats.Applied(credential.Rule, credential.From, template.EndpointText + " body", manual: false);
            }
            else if (value.Length == 1)
            {
                if (IsIdName(name) && session.Values.TryGetValue(value, out var id) && !string.Equals(id.Value, value, StringComparison.Ordinal))
                {
                    replaced = id.Value;
                    changed++;
                    _stats.Applied(id.Rule, id.From, template.EndpointText + " body", manual: false);
                }
            }
            else if (session.Values.Count > 0)
            {
                List<string>? held = null;
                var canHold = !HasHeldCharacter(value);
                var current = value;
                foreach (var (old, learned) in session.Values)
                {
                    if (old.Length < 2 || current.IndexOf(old, StringComparison.Ordinal) < 0)
                    {
                        continue;
                    }

                    current = BoundedReplace.Replace(current, old, HoldValue(ref held, canHold, learned.Value), out var count);
                    if (count > 0)
                    {
                        changed += count;
                        _stats.Applied(learned.Rule, learned.From, template.EndpointText + " body", manual: false);
                    }
                }

                current = ReleaseHeld(current, held);
                replaced = string.Equals(current, value, StringComparison.Ordinal) ? null : current;
            }

            if (replaced is not null)
            {
                pairs[i] = pair[..(eq + 1)] + Uri.EscapeDataString(replaced);
            }
        }

        if (changed > 0)
        {
            request.Body = Encoding.UTF8.GetBytes(string.Join('&', pairs));
        }

        return changed;
    }

    private static bool IsForm(string? contentType) =>
        contentType is not null && contentType.AsSpan().TrimStart().StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>A value as the content of a JSON string: quotes, backslashes and control characters escaped, the rest as is.</summary>
    private static string JsonStringContent(string value)
    {
        foreach (var c in value)
        {
            if (c is '"' or '\\' or < ' ')
            {
                return JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
            }
        }

        return value;
    }

    /// <summary>A value as XML text: <c>&lt;</c>, <c>&amp;</c> and quotes escaped (also right inside an attribute).</summary>
    private static string XmlText(string value) =>
        value.AsSpan().IndexOfAny("<>&\"'") < 0 ? value : System.Security.SecurityElement.Escape(value);

    /// <summary>A placeholder for <paramref name="value"/> (the value itself when no placeholder is free or the text already holds one).</summary>
    private static string HoldValue(ref List<string>? held, bool canHold, string value)
    {
        if (!canHold || (held?.Count ?? 0) > HeldLast - HeldFirst)
        {
            return value;
        }

        held ??= [];
        held.Add(value);
        return ((char)(HeldFirst + held.Count - 1)).ToString();
    }

    /// <summary>The text with every placeholder <see cref="HoldValue"/> handed out replaced by its value.</summary>
    private static string ReleaseHeld(string text, List<string>? held)
    {
        if (held is null)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c is >= HeldFirst and <= HeldLast && c - HeldFirst < held.Count)
            {
                builder.Append(held[c - HeldFirst]);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Private-use placeholders for values substituted into a body (see <see cref="ApplyBody"/>).</summary>
    private const char HeldFirst = '\uE000', HeldLast = '\uEFFF';

    private static bool HasHeldCharacter(string text)
    {
        foreach (var c in text)
        {
            if (c is >= HeldFirst and <= HeldLast)
            {
                return true;
            }
        }

        return false;
    }

    internal static bool LooksLikeXml(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        if (trimmed.StartsWith("\uFEFF"u8))
        {
            trimmed = trimmed[3..].TrimStart(" \t\r\n"u8);
        }

        // An HTML page is not XML (<br> unclosed: parsing it would throw on every replayed page); the CSRF rules read it.
        return trimmed.Length > 1 && trimmed[0] == (byte)'<' && (trimmed[1] == (byte)'?' || char.IsAsciiLetter((char)trimmed[1]) || trimmed[1] == (byte)'_')
            && !IsHtmlRoot(trimmed);
    }

    private static bool IsHtmlRoot(ReadOnlySpan<byte> markup) =>
        markup.Length >= 5 && System.Text.Ascii.EqualsIgnoreCase(markup[1..5], "html"u8)
        && (markup.Length == 5 || markup[5] is (byte)'>' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'/');

    internal static bool LooksLikeJson(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        return trimmed.Length > 0 && (trimmed[0] == (byte)'{' || trimmed[0] == (byte)'[');
    }

    private static bool IsJsonNumber(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return text.Length is > 0 and <= 15 && (text[0] != '0' || text.Length == 1);
    }

    private static bool IsShortNumber(string text)
    {
        if (text.Length is 0 or >= 4)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDigits(string value) => value.Length > 0 && !value.AsSpan().ContainsAnyExceptInRange('0', '9');

    private static bool IsIdName(string? key) =>
        key is not null && (key.Equals("id", StringComparison.OrdinalIgnoreCase) || key.EndsWith("Id", StringComparison.Ordinal)
            || key.EndsWith("_id", StringComparison.OrdinalIgnoreCase) || key.EndsWith("ID", StringComparison.Ordinal)
            || key.Contains("uuid", StringComparison.OrdinalIgnoreCase) || key.EndsWith("key", StringComparison.OrdinalIgnoreCase)
            || key.Equals("ref", StringComparison.OrdinalIgnoreCase) || key.EndsWith("number", StringComparison.OrdinalIgnoreCase));

    private static string? ContentTypeOf(OutgoingRequest request)
    {
        foreach (var header in request.Headers)
        {
            if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>The fewest characters of an id-named response header's value learned as an id the server issued.</summary>
    private const int MinIssuedIdHeader = 8;

    /// <summary>A header named like an id, in any case (HTTP/2 lower-cases names): <c>SID</c>, <c>X-Upload-Id</c>, <c>Mcp-Session-Id</c>.</summary>
    private static bool IsIdHeader(string name) =>
        name.Equals("sid", StringComparison.OrdinalIgnoreCase) || name.EndsWith("-id", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("_id", StringComparison.OrdinalIgnoreCase) || IsIdName(name);

    private static bool IsValidator(string name) => name.Equals("ETag", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The credential a masked token-named request field stands for. A redacted recording masks an anti-forgery or
    /// access token both where the response issued it (<c>{"logintoken": "****"}</c>, a secret at its length) and where
    /// the client sends it back (<c>lgtoken=****</c>, <c>token=****</c> in a form, a JSON member, a multipart field or a
    /// query parameter: MediaWiki's login and CSRF tokens, OAuth's <c>access_token</c> parameter). The names differ, so
    /// only the mask ties them: a field whose name is a token's (<see cref="IsTokenName"/>) and whose whole value is a mask
    /// the session learned a credential for gets that credential's new value (the latest response issuing a token of that
    /// length, as a client sends the token it was given last). A field named as the one a token was issued under
    /// (<c>refresh_token</c>) gets that token; a mask the latest response gave two tokens (an access and a refresh token of
    /// one length) is otherwise left as it is, rather than sent as the wrong one. Any other field keeps the mask.
    /// </summary>
    private static LearnedValue? MaskedTokenField(SessionCorrelation session, string name, string value)
    {
        if (!IsTokenName(name))
        {
            return null;
        }

        if (session.CredentialsByField.TryGetValue(name, out var issued) && string.Equals(issued.Recorded, value, StringComparison.Ordinal))
        {
            return string.Equals(issued.Value.Value, value, StringComparison.Ordinal) ? null : issued.Value;
        }

        return !session.AmbiguousCredentials.Contains(value) && session.Credentials.TryGetValue(value, out var learned) && !string.Equals(learned.Value, value, StringComparison.Ordinal)
            ? learned
            : null;
    }

    /// <summary>
    /// The new value of the very credential a request body sent masked in a member of this name, when the recording tags it
    /// (<see cref="WellKnownTags.RedactedSent"/>) and the login that issued it was replayed (its keyed token in
    /// <see cref="SessionCorrelation.Issued"/>). Two users' logins on one client issue tokens masked alike; the latest one
    /// is the wrong one for the first user's later calls (QA round 14a, Zabbix: 7 of 31 calls "Session terminated").
    /// <paramref name="sent"/> is that tag as <see cref="RedactionMarks.Sent"/> reads it, once per request (null: none).
    /// </summary>
    private static LearnedValue? SentCredential(SessionCorrelation session, List<(string Token, string Location)>? sent, string name, string value)
    {
        if (sent is null)
        {
            return null;
        }

        foreach (var (token, location) in sent)
        {
            var path = location.AsSpan();
            var member = path[(path.LastIndexOfAny('.', ':') + 1)..];
            if (member.Equals(name, StringComparison.Ordinal) && session.Issued.TryGetValue(token, out var learned)
                && !string.Equals(learned.Value, value, StringComparison.Ordinal))
            {
                return learned;
            }
        }

        return null;
    }

    /// <summary>A whole mask as redaction writes a secret: 6 or more <c>*</c> (a form may escape them as <c>%2A</c>).</summary>
    /// <summary>
    /// A credential as redaction writes it in a token-named field: a mask, or a keyed token (<c>tok_secret_…</c>, recorded with
    /// <c>secret: tokenize</c>, the way to replay exactly). A page's tokenized <c>csrf-token</c> was learned but only masks were
    /// looked up in form fields, so Redmine's login posted the recorded token and answered 422 (QA 13a).
    /// </summary>
    private static bool IsRedactedCredential(string value) => IsMask(value) || RedactedValue.IsKeyedToken(value);

    private static bool IsMask(string value)
    {
        if (value.Length < 6)
        {
            return false;
        }

        var stars = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '*')
            {
                stars++;
            }
            else if (value[i] == '%' && i + 2 < value.Length && value[i + 1] == '2' && value[i + 2] is 'A' or 'a')
            {
                stars++;
                i += 2;
            }
            else
            {
                return false;
            }
        }

        return stars >= 6;
    }

    private static bool IsTokenName(string name) =>
        name.Contains("token", StringComparison.OrdinalIgnoreCase) || name.Contains("csrf", StringComparison.OrdinalIgnoreCase)
        || name.Contains("xsrf", StringComparison.OrdinalIgnoreCase) || name.Contains("nonce", StringComparison.OrdinalIgnoreCase)
        || name.Contains("session", StringComparison.OrdinalIgnoreCase) || IsSessionIdAbbreviation(name)
        || name.Equals("auth", StringComparison.OrdinalIgnoreCase) || name.EndsWith("_auth", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A session id's usual short names: <c>sid</c> (Tiny Tiny RSS's API body, PHP's <c>SID</c>), <c>sessid</c>, and a
    /// word ending in <c>_sid</c>/<c>-sid</c>/<c>.sid</c> (<c>ttrss_sid</c>); not a word that merely contains the letters
    /// (<c>inside</c>, <c>residence</c>). QA round 13b: the API's <c>{"sid": "****"}</c> after a login that issued
    /// <c>{"session_id": "****"}</c> was sent as the recorded mask, and every call of the replay answered NOT_LOGGED_IN.
    /// </summary>
    private static bool IsSessionIdAbbreviation(string name) =>
        name.Equals("sid", StringComparison.OrdinalIgnoreCase) || name.Contains("sessid", StringComparison.OrdinalIgnoreCase)
        || (name.Length > 4 && name.EndsWith("sid", StringComparison.OrdinalIgnoreCase) && name[^4] is '_' or '-' or '.');

    internal static (string Name, string Value) CookiePair(string setCookie)
    {
        var semi = setCookie.IndexOf(';', StringComparison.Ordinal);
        var pair = semi < 0 ? setCookie : setCookie[..semi];
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        return eq <= 0 ? (string.Empty, string.Empty) : (pair[..eq].Trim(), pair[(eq + 1)..].Trim());
    }

    private static bool HasSetCookie(ImmutableArray<HeaderField> headers)
    {
        foreach (var header in headers)
        {
            if (header.Name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex("""(?<open><(?:[A-Za-z_][\w.\-]*:)?(?<name>[A-Za-z_][\w.\-]*)(?:\s[^<>]*)?>)(?<value>[^<>&\s])(?<close></)""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex XmlIdElement();

    /// <summary>A JSON member whose value is one character, a number or a string: <c>"customerId": 4</c>, <c>"id":"7"</c>.</summary>
    [GeneratedRegex("""(?<head>"(?<name>[A-Za-z_][\w\-]{0,63})"\s*:\s*(?<quote>"?))(?<value>[0-9A-Za-z])\k<quote>(?=\s*[,}\]])""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex JsonIdMember();

    /// <summary>A word a token may stand for: an id, a slug, a username or an email.</summary>
    [GeneratedRegex(@"[A-Za-z0-9][A-Za-z0-9@._+-]{0,127}", RegexOptions.CultureInvariant)]
    private static partial Regex AliasWord();

    /// <summary>A JSON string member or a form field named like an anti-forgery token, with a token-shaped value.</summary>
    [GeneratedRegex("""(?:"[^"\\]{0,64}(?:csrf|xsrf)[^"\\]{0,64}"\s*:\s*"|(?:^|&)[^=&]{0,64}(?:csrf|xsrf)[^=&]{0,64}=)(?<value>[A-Za-z0-9._~+/=-]{8,512})(?=["&]|$)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CsrfMember();

    /// <summary>
    /// A named field whose whole value is a mask or a keyed secret token (<c>tok_secret_…</c>): a form pair (<c>lgtoken=****</c>), a JSON string member, an XML element's
    /// text, or a multipart form-data part (<c>Content-Disposition: form-data; name="token"</c>, its headers, a blank line,
    /// the mask, the next boundary). See <see cref="MaskedTokenField"/>.
    /// </summary>
    [GeneratedRegex("""
        (?<form>(?:^|&)(?<name>[^=&\s]{1,64})=(?<value>(?:\*|%2[Aa]){6,4096}|tok_secret_[a-z2-7]{16})(?=&|$))
        |(?<json>"(?<name>[^"\\\r\n]{1,64})"\s*:\s*"(?<value>\*{6,4096}|tok_secret_[a-z2-7]{16})")
        |(?<xml><(?:[A-Za-z_][\w.\-]*:)?(?<name>[A-Za-z_][\w.\-]{0,63})(?:\s[^<>]*)?>(?<value>\*{6,4096}|tok_secret_[a-z2-7]{16})</)
        |(?<part>name="(?<name>[^"\r\n]{1,64})"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n){0,8}\r?\n(?<value>\*{6,4096}|tok_secret_[a-z2-7]{16})(?=\r?\n--))
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex MaskedTokenValue();

    [GeneratedRegex("""<(?:input|meta)[^>]*?(?:name|id)=["'](?<name>[^"']*(?:csrf|xsrf|token|nonce|session)[^"']*)["'][^>]*?(?:value|content)=["'](?<value>[^"']{6,})["']""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CsrfField();

    /// <summary>A script's member named like a token with a string value: <c>"request_token":"…"</c>, <c>token:"…"</c>, <c>'csrfToken': '…'</c>.</summary>
    [GeneratedRegex("""(?<![A-Za-z0-9_$\\])["']?(?<name>[A-Za-z0-9_$-]*(?:csrf|xsrf|token|nonce|session)[A-Za-z0-9_$-]*)["']?\s*(?::|(?<![=!<>])=(?!=))\s*["'](?<value>[^"'\\\s<>]{6,512})["']""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ScriptTokenMember();

    /// <summary>A built manual rule.</summary>
    private sealed class ManualRule
    {
        private readonly JsonPath? _extractJson;
        private readonly Regex? _extractRegex;
        private readonly JsonPath? _substituteJson;
        private readonly string[]? _substituteXml;
        private readonly PathGlob? _from;
        private readonly PathGlob? _to;

        public ManualRule(CorrelationRuleOptions options)
        {
            Options = options;
            _extractJson = options.ExtractJson is null ? null : JsonPath.TryParseSingular(options.ExtractJson, out _);
            _extractRegex = options.ExtractRegex is null ? null : new Regex(options.ExtractRegex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            _substituteJson = options.SubstituteJson is null ? null : JsonPath.TryParseSingular(options.SubstituteJson, out _);
            _substituteXml = options.SubstituteXml is null ? null : XmlElementPath.Parse(options.SubstituteXml);
            _from = options.FromPath is null ? null : PathGlob.Parse(options.FromPath);
            _to = options.ToPath is null ? null : PathGlob.Parse(options.ToPath);
            FromDescription = options.IsValueRule ? "value (" + options.ValueSource + ")"
                : options.ExtractHeader is not null ? "response header " + options.ExtractHeader
                : options.ExtractJson is not null ? "response body " + options.ExtractJson
                : "response body regex";
            IntoDescription = options.SubstituteHeader is not null ? "header " + options.SubstituteHeader
                : options.SubstituteQuery is not null ? "query " + options.SubstituteQuery
                : options.SubstituteJson is not null ? "body " + options.SubstituteJson
                : options.SubstituteForm is not null ? "form " + options.SubstituteForm
                : options.SubstituteXml is not null ? "body " + options.SubstituteXml
                : "wherever the recorded value appears";
        }

        public CorrelationRuleOptions Options { get; }

        public string FromDescription { get; }

        public string IntoDescription { get; }

        private bool Targeted => Options.IsTargeted;

        /// <summary>True when the rule substitutes into this request (its <c>to</c> glob, if any, matches the recorded path).</summary>
        public bool AppliesTo(RequestTemplate template) => _to is null || _to.IsMatch(UrlParts.Path(template.Recorded.Request.Url));

        public void Learn(SessionCorrelation session, RequestTemplate template, ExchangeResponse? recorded, ImmutableArray<HeaderField> headers, ReadOnlySpan<byte> body)
        {
            if (Options.IsValueRule)
            {
                return;
            }

            if (_from is not null && !_from.IsMatch(UrlParts.Path(template.Recorded.Request.Url)))
            {
                return;
            }

            var now = Extract(headers, body);
            if (now is null)
            {
                return;
            }

            if (Targeted)
            {
                session.Manual[Options.Name] = now;
            }
            else if (recorded is not null && Extract(recorded.Headers, recorded.Body is null ? default : recorded.Body.Content.Span) is { } old)
            {
                session.Learn(old, now, Options.Name, template.EndpointText + " " + FromDescription);
            }
        }

        /// <summary>
        /// For <c>match-mask: true</c>: whether the value a value rule gives can be the one the recorded request carries
        /// there, as far as its redaction tells: a mask keeps the length of what it hides (and any characters it kept), a
        /// token is the keyed hash of one value (checked with the recording's key when replay has it). A login recorded
        /// twice, first with a wrong password and then the right one, so gets the given password only where it was sent:
        /// filling both logged the client in one request early and the real login then failed (Roundcube, phpMyAdmin,
        /// Django admin). A raw recorded value, or one at a place not read here (a multipart field, an XML element), fits.
        /// </summary>
        public bool Fits(OutgoingRequest request, string? contentType, string given, Core.Pipeline.IRedactionTokens? tokens)
        {
            if (RecordedAt(request, contentType) is not { Length: > 0 } recorded)
            {
                return true;
            }

            if (Options.SubstitutePrefix is { Length: > 0 } prefix && recorded.StartsWith(prefix, StringComparison.Ordinal))
            {
                recorded = recorded[prefix.Length..];
            }

            if (RedactedValue.IsKeyedToken(recorded))
            {
                return tokens?.TokenLike(recorded, given) is not { } token || string.Equals(token, recorded, StringComparison.Ordinal);
            }

            if (RedactedValue.IsToken(recorded))
            {
                return true;
            }

            if (!RedactedValue.IsRedactionOutput(recorded))
            {
                // A value the recording kept as it was is not a hidden secret: JSON-RPC's `params[0]` is the password
                // of `auth.login` only, and `core.get_config_value("download_location")` at the same path keeps its
                // argument (QA round 13b: Deluge's every call got the password, 8 answered AttributeError).
                return string.Equals(recorded, given, StringComparison.Ordinal);
            }

            if (recorded.Length != given.Length)
            {
                return false;
            }

            for (var i = 0; i < recorded.Length; i++)
            {
                if (recorded[i] != '*' && recorded[i] != given[i])
                {
                    return false; // a character the mask kept (the last four) is not the given value's
                }
            }

            return true;
        }

        /// <summary>
        /// For <c>match-mask: true</c> on the <c>Authorization</c> header: whether the credential the rule gives is the one
        /// the recorded request sent, by the keyed token redaction tagged it with (<c>redaction.authorization</c>, keyed
        /// without the scheme). A mask tells only the length: Icinga Web 2's API client tried a wrong Basic credential
        /// (<c>mgonzalez:Ic-wrong-pass</c>) of the length of another user's (<c>atanaka:New-Aiko-Pw-5150</c>), and that user's
        /// rule filled the wrong try, which then logged in (QA round 15a). Without the tag or the recording's key, it fits.
        /// </summary>
        public bool FitsCredentialTag(ImmutableSortedDictionary<string, string> tags, string given, SessionCorrelation session, Core.Pipeline.IRedactionTokens? tokens)
        {
            if (tokens is null || Options.SubstituteHeader is not { } header || !header.Equals("authorization", StringComparison.OrdinalIgnoreCase)
                || !tags.TryGetValue(WellKnownTags.RedactedAuthorization, out var recorded))
            {
                return true;
            }

            var value = Options.SubstitutePrefix + given;
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            var credential = space > 0 && value.AsSpan(space + 1).Trim() is { Length: > 0 } after ? after.ToString() : value;
            // Keyed once per session and credential (the session's cache), not on every request the rule applies to.
            return session.TokenOf(recorded, credential, tokens) is not { } token || string.Equals(token, recorded, StringComparison.Ordinal);
        }

        /// <summary>The value the request carries at the rule's substitute (header, query parameter, urlencoded form field, JSON string), or null.</summary>
        private string? RecordedAt(OutgoingRequest request, string? contentType)
        {
            if (Options.SubstituteHeader is { } header)
            {
                return request.Headers.FirstOrDefault(h => h.Name.Equals(header, StringComparison.OrdinalIgnoreCase)).Value;
            }

            if (Options.SubstituteQuery is { } query)
            {
                var q = request.Url.IndexOf('?', StringComparison.Ordinal);
                return q < 0 ? null : FormValue(request.Url[(q + 1)..], query);
            }

            if (Options.SubstituteForm is { } field)
            {
                return request.Body.IsEmpty || !IsForm(contentType) ? null : FormValue(Encoding.UTF8.GetString(request.Body.Span), field);
            }

            if (_substituteJson is not null && !request.Body.IsEmpty)
            {
                try
                {
                    return JsonNode.Parse(request.Body.Span) is { } root && _substituteJson.Get(root) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
                }
                catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
                {
                    return null;
                }
            }

            return null;
        }

        /// <summary>The decoded value of the first <paramref name="name"/> in <c>a=1&amp;b=2</c> text, or null.</summary>
        private static string? FormValue(string text, string name)
        {
            foreach (var part in text.Split('&'))
            {
                if (FormKey(part, out var eq) is var key && string.Equals(key, name, StringComparison.Ordinal))
                {
                    return eq < 0 ? string.Empty : Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
                }
            }

            return null;
        }

        /// <summary>The decoded name of one <c>name=value</c> pair of a form, and where its <c>=</c> is (-1: none).</summary>
        private static string FormKey(string part, out int eq)
        {
            eq = part.IndexOf('=', StringComparison.Ordinal);
            return Uri.UnescapeDataString((eq < 0 ? part : part[..eq]).Replace('+', ' '));
        }

        /// <summary>
        /// Puts the value at the rule's substitute. A correlation rule sets it (adding the header, parameter or member when
        /// missing); a value rule only replaces a value the request already carries there (its masked secret): a request
        /// without one is left as it is.
        /// </summary>
        public bool Substitute(OutgoingRequest request, string value, string? contentType)
        {
            var text = Options.SubstitutePrefix + value;
            var existingOnly = Options.IsValueRule;
            if (Options.SubstituteHeader is { } header)
            {
                if (existingOnly && !request.Headers.Exists(h => h.Name.Equals(header, StringComparison.OrdinalIgnoreCase)))
                {
                    return false;
                }

                request.SetHeader(header, text);
                return true;
            }

            if (Options.SubstituteQuery is { } query)
            {
                var url = SetQuery(request.Url, query, text, existingOnly);
                if (url is null)
                {
                    return false;
                }

                request.Url = url;
                return true;
            }

            if (Options.SubstituteForm is { } field)
            {
                var form = request.Body.IsEmpty ? null
                    : IsForm(contentType) ? SetFormField(request.Body.Span, field, text)
                    : MultipartFields.Set(request.Body.Span, contentType, field, text);
                if (form is null)
                {
                    return false;
                }

                request.Body = form;
                return true;
            }

            if (Options.SubstituteXml is not null)
            {
                if (request.Body.IsEmpty || _substituteXml is not { } names || XmlElementPath.SetText(request.Body.Span, names, text, existingOnly) is not { } xml)
                {
                    return false;
                }

                request.Body = xml;
                return true;
            }

            if (_substituteJson is not null && !request.Body.IsEmpty)
            {
                try
                {
                    var root = JsonNode.Parse(request.Body.Span);
                    var current = root is null ? null : _substituteJson.Get(root);
                    if (root is not null && (!existingOnly || current is JsonValue) && _substituteJson.Set(root, JsonValueLike(current, text)))
                    {
                        request.Body = JsonSerializer.SerializeToUtf8Bytes(root, JsonContext.Default.JsonNode);
                        return true;
                    }
                }
                catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
                {
                    // Not JSON, or JSON a JsonObject cannot hold (a member written twice: ArgumentException): the body is sent
                    // as recorded, never the request failed for a rule.
                    return false;
                }
            }

            return false;
        }

        private string? Extract(ImmutableArray<HeaderField> headers, ReadOnlySpan<byte> body)
        {
            if (Options.ExtractHeader is { } name)
            {
                return headers.Get(name);
            }

            if (_extractJson is not null)
            {
                try
                {
                    return body.IsEmpty ? null : _extractJson.Get(JsonNode.Parse(body)) is JsonValue v ? Scalar(v) : null;
                }
                catch (JsonException)
                {
                    return null;
                }
            }

            if (_extractRegex is not null && !body.IsEmpty)
            {
                var match = _extractRegex.Match(Encoding.UTF8.GetString(body));
                return !match.Success ? null : match.Groups.Count > 1 ? match.Groups[1].Value : match.Value;
            }

            return null;
        }

        /// <summary>
        /// <paramref name="text"/> as the JSON value that replaces <paramref name="current"/>: a number where the request
        /// carried a number and the text is one (a PIN, an account number), else a string. A string there would change the
        /// member's type, which a server that binds it to an integer rejects.
        /// </summary>
        private static JsonValue JsonValueLike(JsonNode? current, string text)
        {
            if (current is JsonValue { } value && value.GetValueKind() == JsonValueKind.Number && text.Length > 0 && (text[0] is '-' || char.IsAsciiDigit(text[0])))
            {
                try
                {
                    using var document = JsonDocument.Parse(text);
                    if (document.RootElement.ValueKind == JsonValueKind.Number)
                    {
                        return JsonValue.Create(document.RootElement.Clone())!;
                    }
                }
                catch (JsonException)
                {
                    // Not a JSON number: written as a string.
                }
            }

            return JsonValue.Create(text);
        }

        /// <summary>The form body with the value of each <paramref name="name"/> field replaced, or null when it has none.</summary>
        private static byte[]? SetFormField(ReadOnlySpan<byte> body, string name, string value)
        {
            var text = Encoding.UTF8.GetString(body);
            var parts = text.Split('&');
            var found = false;
            for (var i = 0; i < parts.Length; i++)
            {
                if (string.Equals(FormKey(parts[i], out var eq), name, StringComparison.Ordinal))
                {
                    parts[i] = (eq < 0 ? parts[i] : parts[i][..eq]) + "=" + Uri.EscapeDataString(value);
                    found = true;
                }
            }

            return found ? Encoding.UTF8.GetBytes(string.Join('&', parts)) : null;
        }

        private static string? SetQuery(string url, string name, string value, bool existingOnly = false)
        {
            var encoded = Uri.EscapeDataString(value);
            var q = url.IndexOf('?', StringComparison.Ordinal);
            if (q < 0)
            {
                return existingOnly ? null : url + "?" + name + "=" + encoded;
            }

            var parts = url[(q + 1)..].Split('&');
            for (var i = 0; i < parts.Length; i++)
            {
                var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
                var key = eq < 0 ? parts[i] : parts[i][..eq];
                if (string.Equals(Uri.UnescapeDataString(key), name, StringComparison.Ordinal))
                {
                    parts[i] = key + "=" + encoded;
                    return url[..(q + 1)] + string.Join('&', parts);
                }
            }

            return existingOnly ? null : url + "&" + name + "=" + encoded;
        }
    }
}
