using System.Text;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Engine;

/// <summary>
/// URLs: the password in userinfo, query parameters (by rule, by name, by detectors; GraphQL variables
/// as JSON), the fragment when it carries parameters (OAuth implicit flow), and path segments that are
/// emails, tokens, keys or card numbers. The scheme and authority are kept: they name the service.
/// </summary>
internal static class UrlRedactor
{
    public static string? Redact(string url, RedactionSession session, string location)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        var pathStart = schemeEnd < 0 ? 0 : IndexOfAny(url, authorityStart, '/', '?', '#');
        if (pathStart < 0)
        {
            pathStart = url.Length;
        }

        var changed = false;
        var sb = new StringBuilder(url.Length);
        sb.Append(url, 0, authorityStart);

        // userinfo: user:password@host
        var authority = url[authorityStart..pathStart];
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = colon >= 0 ? userInfo[..colon] : userInfo;
            var redactedUser = session.RedactText(Uri.UnescapeDataString(user), location + ":userinfo") is { } u ? Uri.EscapeDataString(u) : user;
            var password = colon >= 0 ? userInfo[(colon + 1)..] : null;
            if (password is { Length: > 0 } && !TokenFormat.IsRedactedOutput(password))
            {
                session.Record(location + ":userinfo", "password", ActionSpec.Mask(0), DataKind.Password, password);
                password = Masker.Mask(password, DataKind.Password, 0);
            }

            var newUserInfo = password is null ? redactedUser : redactedUser + ":" + password;
            changed |= newUserInfo != userInfo;
            sb.Append(newUserInfo).Append(authority, at, authority.Length - at);
        }
        else
        {
            sb.Append(authority);
        }

        var rest = url[pathStart..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash >= 0 ? rest[(hash + 1)..] : null;
        if (hash >= 0)
        {
            rest = rest[..hash];
        }

        var q = rest.IndexOf('?', StringComparison.Ordinal);
        var path = q >= 0 ? rest[..q] : rest;
        var query = q >= 0 ? rest[(q + 1)..] : null;

        var newPath = RedactPath(path, session, location + ":path");
        changed |= newPath is not null;
        sb.Append(newPath ?? path);
        if (query is not null)
        {
            var newQuery = FormBodyRedactor.Redact(query, session, location + ":query", session.Model.QueryRules, isQuery: true);
            changed |= newQuery is not null;
            sb.Append('?').Append(newQuery ?? query);
        }

        if (fragment is not null)
        {
            var newFragment = fragment.Contains('=', StringComparison.Ordinal)
                ? FormBodyRedactor.Redact(fragment, session, location + ":fragment", session.Model.QueryRules, isQuery: true)
                : session.RedactText(fragment, location + ":fragment");
            changed |= newFragment is not null;
            sb.Append('#').Append(newFragment ?? fragment);
        }

        return changed ? sb.ToString() : null;
    }

    private static string? RedactPath(string path, RedactionSession session, string location)
    {
        if (path.Length < 2)
        {
            return null;
        }

        var segments = path.Split('/');
        var changed = false;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length < 6)
            {
                continue;
            }

            string decoded;
            try
            {
                decoded = Uri.UnescapeDataString(segment);
            }
            catch (UriFormatException)
            {
                decoded = segment;
            }

            var where = location + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
            if (session.RedactText(decoded, where, keyValues: false) is { } redacted)
            {
                segments[i] = Uri.EscapeDataString(redacted).Replace("%40", "@", StringComparison.Ordinal).Replace("%2A", "*", StringComparison.Ordinal);
                changed = true;
            }
        }

        return changed ? string.Join('/', segments) : null;
    }

    private static int IndexOfAny(string text, int start, params char[] chars)
    {
        var i = text.IndexOfAny(chars, start);
        return i;
    }
}
