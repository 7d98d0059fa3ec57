using System.Text.Json;
using Reprise.Core.Model;

namespace Reprise.Replay.Sessions;

/// <summary>
/// Joins a login to the requests that use what it issued. A recorded response that sets a cookie or
/// returns a token (JSON <c>token</c>, <c>access_token</c>, <c>id_token</c>, <c>jwt</c>...) owns that
/// value; a later request whose Cookie or bearer token carries it joins the owner's session, so the
/// login and the calls after it replay in order and correlation swaps in the new cookie or token.
/// Without this, <c>POST /login</c> (no cookie yet) and <c>GET /account</c> (with the cookie) would be
/// two sessions. Likewise a 201 owns the path its <c>Location</c> names (when its last segment is id-shaped,
/// <see cref="Core.Analysis.PathTemplate.IsVariable"/>): a later request for that path (or below it) joins the
/// creator's session only when it has no identity at all (no trace, credential or client address) or comes from
/// the creator's own client address, and only the first <see cref="MaxCreatedLinks"/> such requests within
/// <see cref="CreatedLinkWindow"/> of the 201 (anonymous shoppers reading a product an admin created are not the
/// admin's session). Trace ids stay authoritative. Bounded: the oldest owned values are forgotten first.
/// </summary>
internal sealed class SessionLinker
{
    private const int MaxValues = 100_000;

    /// <summary>Owned keyed tokens of issued credentials are kept apart from owned raw values.</summary>
    private const string IssuedPrefix = "issued:";
    private const int MaxJsonBytes = 64 * 1024;
    private readonly Dictionary<string, string> _owners = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly HashSet<string> _ambiguous = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Created> _created = new(StringComparer.Ordinal);
    private readonly Queue<string> _createdOrder = new();

    /// <summary>Most requests one created path links to its creator's session.</summary>
    internal const int MaxCreatedLinks = 16;

    /// <summary>How long after the 201 (recorded time) a request for the created path may still join the creator's session.</summary>
    internal static readonly TimeSpan CreatedLinkWindow = TimeSpan.FromSeconds(30);
    private readonly IReadOnlyList<SessionKeyKind> _kinds;

    public SessionLinker(IReadOnlyList<SessionKeyKind> kinds) => _kinds = kinds;

    public (string Key, bool Grouped) Resolve(Exchange exchange)
    {
        var (key, grouped) = SessionKeys.Of(exchange, _kinds);
        if (_kinds.Count == 0)
        {
            return (key, grouped);
        }

        if (!key.StartsWith("t:", StringComparison.Ordinal) && _owners.Count > 0 && FindOwner(exchange) is { } owner)
        {
            key = owner;
            grouped = true;
        }
        else if (!HasCredential(key) && _created.Count > 0 && FindCreator(exchange, key) is { } creator)
        {
            // No identity of its own (or the creator's client): a read of what a create returned in Location belongs
            // with the create.
            key = creator;
            grouped = true;
        }

        // A response tagged with the keyed tokens of the credentials it issued masked links by those alone: its masks read
        // like any other login's of the same length (a caller with another user's token would join it).
        var issued = Correlation.RedactionMarks.Issued(exchange);
        if (exchange.Response is { } response && Register(response, key, masks: issued is null))
        {
            grouped = true;
        }

        if (issued is not null)
        {
            // The keyed tokens of the credentials it issued masked: the requests their Authorization tags name join it.
            foreach (var token in issued.Values)
            {
                grouped |= Add(IssuedPrefix + token, key);
            }
        }

        if (exchange.Response is { Status: 201 } created && created.Headers.Get("Location") is { } location && CreatedPath(location) is { } path)
        {
            AddCreated(path, new Created(key, SessionKeys.ClientOf(exchange), exchange.StartedAt));
        }

        return (key, grouped);
    }

    private string? FindOwner(Exchange exchange)
    {
        if (exchange.Tags.TryGetValue(WellKnownTags.RedactedAuthorization, out var fingerprint) && _owners.TryGetValue(IssuedPrefix + fingerprint, out var issuer))
        {
            return issuer; // the login that issued this request's masked credential (a mask alone may be several users')
        }

        foreach (var header in exchange.Request.Headers)
        {
            if (header.Name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var part in header.Value.Split(';'))
                {
                    var eq = part.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0 && _owners.TryGetValue(part[(eq + 1)..].Trim(), out var owner))
                    {
                        return owner;
                    }
                }
            }
            else if (header.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                var space = header.Value.IndexOf(' ', StringComparison.Ordinal);
                var token = space < 0 ? header.Value : header.Value[(space + 1)..].Trim();
                if (_owners.TryGetValue(token, out var owner))
                {
                    return owner;
                }
            }
            else if (IsCredentialHeader(header.Name) && _owners.TryGetValue(header.Value.Trim(), out var owner))
            {
                return owner; // an API key header (X-API-Key, X-Redmine-API-Key, PRIVATE-TOKEN) carrying what a response issued
            }
        }

        return null;
    }

    /// <summary>
    /// A request header that carries a credential of its own, by its name: an API key or token header (<c>X-API-Key</c>,
    /// <c>X-Redmine-API-Key</c>, <c>X-Auth-Token</c>, <c>PRIVATE-TOKEN</c>). Redmine answers <c>GET /users/current.json</c>
    /// (a Basic login) with the user's <c>api_key</c> and the client sends it as <c>X-Redmine-API-Key</c> from then on: those
    /// calls were a session of their own (no Authorization), never got the key the fresh instance issued, and answered 401.
    /// </summary>
    private static bool IsCredentialHeader(string name) =>
        name.Contains("key", StringComparison.OrdinalIgnoreCase) || name.Contains("token", StringComparison.OrdinalIgnoreCase)
        || name.Contains("auth", StringComparison.OrdinalIgnoreCase);

    /// <summary>A path a 201 named: the creator's session key and client address, when, and how many requests it linked.</summary>
    private sealed class Created(string owner, string? client, DateTimeOffset at)
    {
        public string Owner { get; } = owner;

        public string? Client { get; } = client;

        public DateTimeOffset At { get; } = at;

        public int Linked { get; set; }
    }

    private void AddCreated(string path, Created created)
    {
        if (!_created.ContainsKey(path))
        {
            if (_created.Count >= MaxValues && _createdOrder.TryDequeue(out var oldest))
            {
                _created.Remove(oldest);
            }

            _createdOrder.Enqueue(path);
        }

        _created[path] = created; // a later create of the same path (a re-created record) is the one to follow
    }

    /// <summary>Whether a session key names a trace or a credential (an authorization or cookie), not just a client or nothing.</summary>
    private static bool HasCredential(string key) => key.StartsWith("t:", StringComparison.Ordinal) || key.StartsWith("a:", StringComparison.Ordinal) || key.StartsWith("c:", StringComparison.Ordinal);

    /// <summary>
    /// The path a 201's <c>Location</c> names, when its last segment is id-shaped (<c>/orders/41</c>, <c>/orders/34d6…</c>);
    /// a path without one (<c>/lists/new</c>, <c>/api/v2</c>) is too common to link sessions on.
    /// </summary>
    private static string? CreatedPath(string location)
    {
        var path = Uri.TryCreate(location, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" ? absolute.AbsolutePath : location;
        var end = path.IndexOfAny(['?', '#']);
        if (end >= 0)
        {
            path = path[..end];
        }

        path = path.TrimEnd('/');
        var last = path.LastIndexOf('/');
        var segment = path.AsSpan(last + 1);
        return path.Length > 1 && path[0] == '/' && Core.Analysis.PathTemplate.IsVariable(segment) && !IsVersion(segment) ? path : null;
    }

    /// <summary>An API version segment (<c>v2</c>, <c>v10</c>, <c>V3</c>), not an id.</summary>
    private static bool IsVersion(ReadOnlySpan<char> segment) =>
        segment.Length is >= 2 and <= 4 && segment[0] is 'v' or 'V' && !segment[1..].ContainsAnyExceptInRange('0', '9');

    /// <summary>
    /// The session whose 201 created the request's path or one of its parents (<c>/orders/41/items</c> under
    /// <c>/orders/41</c>), when the request may join it: it has no identity (<c>x:</c>) or the creator's client address,
    /// within <see cref="CreatedLinkWindow"/> of the 201 and among the first <see cref="MaxCreatedLinks"/> it linked.
    /// </summary>
    private string? FindCreator(Exchange exchange, string key)
    {
        var path = UrlParts.PathAndQuery(exchange.Request.Url);
        var end = path.IndexOfAny(['?', '#']);
        if (end >= 0)
        {
            path = path[..end];
        }

        path = path.TrimEnd('/');
        while (path.Length > 1)
        {
            if (_created.TryGetValue(path, out var created))
            {
                var sameClient = created.Client is not null && string.Equals(SessionKeys.ClientOf(exchange), created.Client, StringComparison.Ordinal);
                var elapsed = exchange.StartedAt - created.At;
                if ((key.StartsWith("x:", StringComparison.Ordinal) || sameClient)
                    && elapsed >= TimeSpan.Zero && elapsed <= CreatedLinkWindow && created.Linked < MaxCreatedLinks)
                {
                    created.Linked++;
                    return created.Owner;
                }

                return null; // the nearest created path decides: a parent's creator is not this request's session
            }

            path = path[..path.LastIndexOf('/')];
        }

        return null;
    }

    /// <summary>A redaction mask (<c>********</c>): every user's masked credential of one length reads the same.</summary>
    private static bool IsMask(string value) => RedactedValue.IsRedactionOutput(value) && !RedactedValue.IsToken(value);

    private bool Register(ExchangeResponse response, string key, bool masks)
    {
        var any = false;
        foreach (var header in response.Headers)
        {
            if (header.Name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
            {
                var (_, value) = Correlation.Correlator.CookiePair(header.Value);
                any |= Add(value, key);
            }
        }

        if (response.Body is { } body && body.Content.Length <= MaxJsonBytes && MayNameAToken(body.Content.Span) && Correlation.Correlator.LooksLikeJson(body.Content.Span))
        {
            try
            {
                var reader = new Utf8JsonReader(body.Content.Span);
                string? property = null;
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.PropertyName)
                    {
                        property = Core.Json.LoneSurrogates.GetStringOrNull(ref reader);
                    }
                    else if (reader.TokenType == JsonTokenType.String && property is not null && IsTokenKey(property) && Core.Json.LoneSurrogates.GetStringOrNull(ref reader) is { } value
                        && (masks || !IsMask(value)))
                    {
                        any |= Add(value, key);
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: nothing to register.
            }
        }

        return any;
    }

    private bool Add(string value, string key)
    {
        if (value.Length < 6 || _ambiguous.Contains(value))
        {
            return false; // too short to identify a session safely, or a mask several sessions were issued
        }

        if (IsMask(value) && _owners.TryGetValue(value, out var owner) && !string.Equals(owner, key, StringComparison.Ordinal))
        {
            // Every user's masked credential of one length reads the same: a mask two logins issued links no one
            // (each user's later requests keep their own session, keyed by redaction's credential tag).
            _owners.Remove(value);
            if (_ambiguous.Count < MaxValues)
            {
                _ambiguous.Add(value);
            }

            return false;
        }

        if (_owners.Count >= MaxValues && _order.TryDequeue(out var oldest))
        {
            _owners.Remove(oldest);
        }

        if (_owners.TryAdd(value, key))
        {
            _order.Enqueue(value);
        }

        return true;
    }

    /// <summary>
    /// The cheap gate before the JSON is read: whether the body holds a member <see cref="IsTokenKey"/> could accept, in any
    /// case (camelCase <c>accessToken</c>, PostGraphile's <c>jwtToken</c>: a case-sensitive "token" missed them, so the
    /// calls carrying the issued token were another session, run before the login).
    /// </summary>
    private static bool MayNameAToken(ReadOnlySpan<byte> json) =>
        json.IndexOf("oken"u8) >= 0 || json.IndexOf("OKEN"u8) >= 0 || json.IndexOf("jwt"u8) >= 0 || json.IndexOf("JWT"u8) >= 0
        || json.IndexOf("ession"u8) >= 0 || json.IndexOf("ESSION"u8) >= 0
        || json.IndexOf("pi_key"u8) >= 0 || json.IndexOf("piKey"u8) >= 0 || json.IndexOf("pikey"u8) >= 0 || json.IndexOf("PI_KEY"u8) >= 0 || json.IndexOf("PIKEY"u8) >= 0;

    /// <summary>A member naming an issued credential: <c>*token*</c>, <c>jwt</c>, a session id, an API key (<c>api_key</c>, <c>apiKey</c>).</summary>
    private static bool IsTokenKey(string name) =>
        name.Contains("token", StringComparison.OrdinalIgnoreCase) || name.Equals("jwt", StringComparison.OrdinalIgnoreCase)
        || name.Equals("sessionId", StringComparison.OrdinalIgnoreCase) || name.Equals("session_id", StringComparison.OrdinalIgnoreCase)
        || name.Equals("apiKey", StringComparison.OrdinalIgnoreCase) || name.Equals("api_key", StringComparison.OrdinalIgnoreCase);
}
