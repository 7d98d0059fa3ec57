using System.Text.Json;
using Reprise.Core.Model;

namespace Reprise.Replay.Sessions;

/// <summary>
/// Joins a login to the requests that use what it issued. A recorded response that sets a cookie or
/// returns a token (JSON <c>token</c>, <c>access_token</c>, <c>id_token</c>, <c>jwt</c>...) owns that
/// value; a later request whose Cookie or bearer token carries it joins the owner's session, so the
/// login and the calls after it replay in order and correlation swaps in the new cookie or token.
/// Without this, <c>POST /login</c> (no cookie yet) and <c>GET /account</c> (with the cookie) would be
/// two sessions. Likewise a 201 owns the path its <c>Location</c> names (with an id in it): a later
/// request for that path (or below it) that carries no credential of its own joins the creator's session.
/// Trace ids stay authoritative. Bounded: the oldest owned values are forgotten first.
/// </summary>
internal sealed class SessionLinker
{
    private const int MaxValues = 100_000;
    private const int MaxJsonBytes = 64 * 1024;
    private readonly Dictionary<string, string> _owners = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly HashSet<string> _ambiguous = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<SessionKeyKind> _kinds;

    public SessionLinker(IReadOnlyList<SessionKeyKind> kinds) => _kinds = kinds;

    public (string Key, bool Grouped) Resolve(Exchange exchange)
    {
        var (key, grouped) = SessionKeys.Of(exchange, _kinds);
        if (_kinds.Count == 0)
        {
            return (key, grouped);
        }

        if (!key.StartsWith("t:", StringComparison.Ordinal) && _owners.Count > 0 && FindOwner(exchange.Request.Headers) is { } owner)
        {
            key = owner;
            grouped = true;
        }
        else if (!HasCredential(key) && _owners.Count > 0 && FindCreator(exchange.Request.Url) is { } creator)
        {
            // No credential of its own: a read of what a create returned in Location belongs with the create.
            key = creator;
            grouped = true;
        }

        if (exchange.Response is { } response && Register(response, key))
        {
            grouped = true;
        }

        if (exchange.Response is { Status: 201 } created && created.Headers.Get("Location") is { } location && CreatedPath(location) is { } path)
        {
            Add(CreatedPrefix + path, key);
        }

        return (key, grouped);
    }

    private string? FindOwner(System.Collections.Immutable.ImmutableArray<HeaderField> headers)
    {
        foreach (var header in headers)
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
        }

        return null;
    }

    private const string CreatedPrefix = "created:";

    /// <summary>Whether a session key names a trace or a credential (an authorization or cookie), not just a client or nothing.</summary>
    private static bool HasCredential(string key) => key.StartsWith("t:", StringComparison.Ordinal) || key.StartsWith("a:", StringComparison.Ordinal) || key.StartsWith("c:", StringComparison.Ordinal);

    /// <summary>
    /// The path a 201's <c>Location</c> names, when its last segment holds a digit (an id: <c>/orders/41</c>,
    /// <c>/orders/34d6…</c>); a path without one (<c>/lists/new</c>) is too common to link sessions on.
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
        return path.Length > 1 && path[0] == '/' && path.AsSpan(last + 1).IndexOfAnyInRange('0', '9') >= 0 ? path : null;
    }

    /// <summary>The session whose 201 created the request's path or one of its parents (<c>/orders/41/items</c> under <c>/orders/41</c>).</summary>
    private string? FindCreator(string url)
    {
        var path = UrlParts.PathAndQuery(url);
        var end = path.IndexOfAny(['?', '#']);
        if (end >= 0)
        {
            path = path[..end];
        }

        path = path.TrimEnd('/');
        while (path.Length > 1)
        {
            if (_owners.TryGetValue(CreatedPrefix + path, out var owner))
            {
                return owner;
            }

            path = path[..path.LastIndexOf('/')];
        }

        return null;
    }

    /// <summary>A redaction mask (<c>********</c>): every user's masked credential of one length reads the same.</summary>
    private static bool IsMask(string value) => RedactedValue.IsRedactionOutput(value) && !RedactedValue.IsToken(value);

    private bool Register(ExchangeResponse response, string key)
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

        if (response.Body is { } body && body.Content.Length <= MaxJsonBytes && body.Content.Span.IndexOf("token"u8) >= 0 && Correlation.Correlator.LooksLikeJson(body.Content.Span))
        {
            try
            {
                var reader = new Utf8JsonReader(body.Content.Span);
                string? property = null;
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.PropertyName)
                    {
                        property = reader.GetString();
                    }
                    else if (reader.TokenType == JsonTokenType.String && property is not null && IsTokenKey(property))
                    {
                        any |= Add(reader.GetString()!, key);
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

    private static bool IsTokenKey(string name) =>
        name.Contains("token", StringComparison.OrdinalIgnoreCase) || name.Equals("jwt", StringComparison.OrdinalIgnoreCase)
        || name.Equals("sessionId", StringComparison.OrdinalIgnoreCase) || name.Equals("session_id", StringComparison.OrdinalIgnoreCase);
}
