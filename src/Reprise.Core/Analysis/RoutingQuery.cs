using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using Reprise.Core.Model;

namespace Reprise.Core.Analysis;

/// <summary>
/// The query parameters that route a request inside an application served from one path: Roundcube's
/// <c>/?_task=mail&amp;_action=list</c>, phpMyAdmin's <c>/index.php?route=/sql</c>, MediaWiki's <c>api.php?action=query</c>,
/// DokuWiki's <c>?do=edit</c>, Moodle's <c>?wsfunction=…</c>, an OGC service's <c>?SERVICE=WMS&amp;REQUEST=GetMap</c>,
/// WordPress' <c>admin.php?page=…</c>. Without them every request of such an application is one endpoint
/// (<c>GET /</c>) in inspect, diff and the replay summary. A parameter counts when its name is a conventional routing
/// name (a leading <c>_</c> ignored, any case) and its value names a route: 1 to <see cref="MaxValueLength"/> characters
/// of letters, digits and <c>_ . : / -</c>, with a letter, and not an id (a long hex or digit run, a redaction token) nor a
/// URL (a CAS login's <c>service=https://app/orders/42</c> names the page to return to).
/// At most <see cref="MaxParameters"/>, in the URL's order.
/// </summary>
public static class RoutingQuery
{
    /// <summary>The longest value that names a route.</summary>
    public const int MaxValueLength = 64;

    /// <summary>The most parameters named.</summary>
    public const int MaxParameters = 3;

    private static readonly FrozenSet<string> Names = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "task", "action", "route", "op", "cmd", "command", "module", "controller", "do", "service", "request", "wsfunction", "function", "method", "page", "act");

    private static readonly SearchValues<char> RouteChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/-");

    /// <summary>The most top-level members of a JSON body read for routing parameters.</summary>
    public const int MaxJsonMembers = 8;

    /// <summary>The most form body read for routing parameters.</summary>
    public const int MaxFormBytes = 16 * 1024;

    /// <summary>
    /// The routing parameters of a request: its URL's, else (a POST to one script: WordPress' <c>admin-ajax.php</c> with
    /// <c>action=heartbeat</c>, Tiny Tiny RSS' <c>backend.php</c> with <c>op=…</c>, a JSON-RPC <c>"method"</c>) its form
    /// body's or its JSON object's top-level members, up to <see cref="MaxFormBytes"/>. Null when it has none.
    /// </summary>
    public static string? Of(Model.ExchangeRequest request)
    {
        if (Of(request.Url) is { } route)
        {
            return route;
        }

        if (request.Body is not { } body || body.Content.Length is 0 or > MaxFormBytes || request.Headers.Get("content-type") is not { } type)
        {
            return null;
        }

        if (type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return body.IsText ? OfPairs(body.Text) : null;
        }

        return Protocols.JsonMediaType.Is(type) ? OfJson(body.Content.Span) : null;
    }

    /// <summary>
    /// The routing members at the top of a JSON object (JSON-RPC's <c>"method":"auth.login"</c>, Tiny Tiny RSS'
    /// <c>"op":"getHeadlines"</c>); null when there are none, or the body is no JSON object.
    /// </summary>
    private static string? OfJson(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        StringBuilder? text = null;
        var count = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            // A routing member comes among the first few (JSON-RPC's "jsonrpc", "method", "params", "id"): the rest of a large
            // body is not read for it.
            for (var members = 0; members < MaxJsonMembers && reader.Read() && reader.TokenType == JsonTokenType.PropertyName; members++)
            {
                var name = reader.GetString()!;
                if (!reader.Read())
                {
                    break;
                }

                if (reader.TokenType == JsonTokenType.String && Names.Contains(name.TrimStart('_')) && reader.GetString() is { } value && NamesARoute(value))
                {
                    text ??= new StringBuilder();
                    text.Append(text.Length > 0 ? "&" : string.Empty).Append(name).Append('=').Append(value);
                    if (++count == MaxParameters)
                    {
                        break;
                    }
                }
                else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Cut or not JSON: what was read so far still names the route.
        }

        return text?.ToString();
    }

    /// <summary><c>_task=mail&amp;_action=list</c> for the URL's routing parameters (decoded); null when it has none.</summary>
    public static string? Of(string url) => OfPairs(Model.UrlParts.Query(url));

    private static string? OfPairs(ReadOnlySpan<char> query)
    {
        if (query.IsEmpty)
        {
            return null;
        }

        StringBuilder? text = null;
        var count = 0;
        foreach (var range in query.Split('&'))
        {
            var part = query[range];
            var eq = part.IndexOf('=');
            if (eq <= 0 || !Names.GetAlternateLookup<ReadOnlySpan<char>>().Contains(part[..eq].TrimStart('_')))
            {
                continue;
            }

            var value = part[(eq + 1)..];
            if (value.ContainsAny('%', '+'))
            {
                value = Uri.UnescapeDataString(value.ToString().Replace('+', ' '));
            }

            if (!NamesARoute(value))
            {
                continue;
            }

            text ??= new StringBuilder();
            text.Append(text.Length > 0 ? "&" : string.Empty).Append(part[..eq]).Append('=').Append(value);
            if (++count == MaxParameters)
            {
                break;
            }
        }

        return text?.ToString();
    }

    /// <summary>An absolute or scheme-relative URL (a CAS login's <c>service=https://app/orders/42</c>): a destination, not a route.</summary>
    private static bool IsUrl(ReadOnlySpan<char> value) => value.StartsWith("//") || value.Contains("://", StringComparison.Ordinal);

    private static bool NamesARoute(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxValueLength || value.ContainsAnyExcept(RouteChars) || !(value.ContainsAnyInRange('a', 'z') || value.ContainsAnyInRange('A', 'Z'))
            || Model.RedactedValue.IsToken(value.ToString()) || IsUrl(value))
        {
            return false;
        }

        // An id is not a route: a run of 8 or more hex digits with a digit in it (a uuid, a hash, an object id).
        var run = 0;
        var digit = false;
        foreach (var c in value)
        {
            if (char.IsAsciiHexDigit(c))
            {
                run++;
                digit |= char.IsAsciiDigit(c);
                if (run >= 8 && digit)
                {
                    return false;
                }
            }
            else
            {
                run = 0;
                digit = false;
            }
        }

        return true;
    }
}
