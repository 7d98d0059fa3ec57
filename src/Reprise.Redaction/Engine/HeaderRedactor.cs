using System.Collections.Immutable;
using System.Text;
using Reprise.Core.Model;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Engine;

/// <summary>
/// Headers: rules first, then the deny list (value redacted whole, keeping what is structure: the
/// auth scheme, cookie names and Set-Cookie attributes), then detectors on everything not allow-listed.
/// </summary>
internal static class HeaderRedactor
{
    public static ImmutableArray<HeaderField> Redact(ImmutableArray<HeaderField> headers, RedactionSession session, string location)
    {
        if (headers.IsDefaultOrEmpty)
        {
            return headers;
        }

        ImmutableArray<HeaderField>.Builder? builder = null;
        for (var i = 0; i < headers.Length; i++)
        {
            var header = headers[i];
            var replaced = RedactOne(header, session, location, out var drop);
            if (replaced is null && !drop)
            {
                builder?.Add(header);
                continue;
            }

            if (builder is null)
            {
                builder = ImmutableArray.CreateBuilder<HeaderField>(headers.Length);
                for (var j = 0; j < i; j++)
                {
                    builder.Add(headers[j]);
                }
            }

            if (!drop)
            {
                builder.Add(new HeaderField(header.Name, replaced!));
            }
        }

        return builder is null ? headers : builder.ToImmutable();
    }

    private static string? RedactOne(HeaderField header, RedactionSession session, string location, out bool drop)
    {
        drop = false;
        if (header.Value.Length == 0)
        {
            return null;
        }

        var name = session.Model.HeaderNameOf(header.Name);
        var lower = name.Lower;
        // The location is built when something is redacted (or an earlier pass must be consulted), not for every header.
        string? where = null;
        string Where() => where ??= location + ":" + lower;
        if (session.HasPrevious && session.IsSkipped(Where()))
        {
            return null;
        }

        foreach (var rule in session.Model.HeaderRules)
        {
            if ((rule.Scope & session.Side) != 0 && rule.Key == lower)
            {
                return Whole(header, lower, rule.Kind, rule.Action, rule.Name, Where(), session, out drop);
            }
        }

        if (name.Allowed)
        {
            return null;
        }

        if (name.IsUrl)
        {
            // The same URL redaction as request.Url, so ":path: /cb?code=..." and Referer/Location never keep what the URL lost.
            return UrlRedactor.Redact(header.Value, session, Where());
        }

        if (name.Denied)
        {
            return Whole(header, lower, DataKind.Secret, session.Model.Headers.Action, "header-deny", Where(), session, out drop);
        }

        // Identity headers a gateway or client sets (X-Customer-Id, X-User-Id, X-Forwarded-User) are matched by name
        // like a JSON or form field, so an account id that no value detector can recognise does not stay.
        var field = name.Field;
        if (field.Candidates.Length > 0 && session.TryMatchField(field.Normalized, string.Empty, inferred: false, header.Value, out var entry))
        {
            return Whole(header, lower, entry.Detector.Kind, entry.Action, entry.Detector.Name, Where(), session, out drop);
        }

        return session.RedactText(header.Value, location, ":", lower);
    }

    /// <summary>
    /// The header name in lower case (as it is when it has no upper-case letter: HTTP/2, most HAR files). Its callers go
    /// through <see cref="Policy.RedactionModel.HeaderNameOf"/>, whose bounded cache keeps the lowered name with the rest
    /// of the header's description.
    /// </summary>
    internal static string LowerName(string name) => AsciiFold.LowerInvariant(name);

    internal static bool IsUrlHeader(string lower) => lower is ":path" or "location" or "content-location" or "referer";

    private static string? Whole(HeaderField header, string lower, DataKind kind, ActionSpec action, string rule, string where, RedactionSession session, out bool drop)
    {
        drop = false;
        if (action.Action == RedactionAction.Keep)
        {
            session.NoteKept(header.Value);
            return null;
        }

        if (action.Action == RedactionAction.Drop)
        {
            session.Record(where, rule, action, kind, header.Value);
            drop = true;
            return null;
        }

        var value = header.Value;
        string? result = lower switch
        {
            "cookie" => Pairs(value, "; ", attributes: false, kind, action, rule, session),
            "set-cookie" => Pairs(value, ";", attributes: true, kind, action, rule, session),
            "authorization" or "proxy-authorization" => Scheme(value, kind, action, rule, session),
            _ => Redacted(value, kind, action, session),
        };
        if (result is null || result == value)
        {
            return null;
        }

        session.Record(where, rule, action, kind, value);
        return result;
    }

    private static string? Redacted(string value, DataKind kind, ActionSpec action, RedactionSession session) =>
        TokenFormat.IsRedactedOutput(value) ? null : session.Apply(value, kind, action) ?? string.Empty;

    private static string? Scheme(string value, DataKind kind, ActionSpec action, string rule, RedactionSession session)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space > 20)
        {
            return Redacted(value, kind, action, session);
        }

        var credential = value[(space + 1)..].TrimStart();
        var redacted = Redacted(credential, kind, action, session);
        if (redacted is not null && value.AsSpan(0, space).Equals("basic", StringComparison.OrdinalIgnoreCase))
        {
            SpreadBasicCredentials(credential, kind, action, rule, session);
        }
        else if (redacted is not null && value.AsSpan(0, space).Equals("digest", StringComparison.OrdinalIgnoreCase))
        {
            SpreadDigestUser(credential, kind, action, rule, session);
        }

        return redacted is null ? null : value[..(space + 1)] + redacted;
    }

    /// <summary>
    /// The user name and password a Basic credential encodes (RFC 7617: base64 of <c>user:password</c>) are spread
    /// like any redacted value, so the same password or API key in the URL, a body or a later exchange does not stay
    /// (httpbin's <c>/basic-auth/USER/PASSWORD</c>, an API that echoes the user, a key sent as the user name).
    /// </summary>
    private static void SpreadBasicCredentials(string credential, DataKind kind, ActionSpec action, string rule, RedactionSession session)
    {
        var bytes = new byte[(credential.Length + 3) / 4 * 3];
        if (!Convert.TryFromBase64String(credential, bytes, out var written))
        {
            return;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return;
        }

        session.AddSpreadValue(decoded[(colon + 1)..], rule, action, kind);
        session.AddSpreadValue(decoded[..colon], rule, action, kind);
    }

    /// <summary>A Digest credential's <c>username="…"</c> (RFC 7616; the password itself is never sent) is spread too.</summary>
    private static void SpreadDigestUser(string credential, DataKind kind, ActionSpec action, string rule, RedactionSession session)
    {
        var at = credential.IndexOf("username=\"", StringComparison.OrdinalIgnoreCase);
        if (at < 0 || (at > 0 && credential[at - 1] is not (' ' or ',')))
        {
            return;
        }

        var start = at + "username=\"".Length;
        var end = credential.IndexOf('"', start);
        if (end > start)
        {
            session.AddSpreadValue(credential[start..end], rule, action, kind);
        }
    }

    private static string? Pairs(string value, string separator, bool attributes, DataKind kind, ActionSpec action, string rule, RedactionSession session)
    {
        _ = separator;
        if (!attributes)
        {
            return OneCookie(value, attributes: false, kind, action, rule, session);
        }

        // One Set-Cookie value may hold several cookies (HAR exporters join them with "\n", some clients with ", ").
        var sb = new StringBuilder(value.Length);
        var changed = false;
        var start = 0;
        while (start <= value.Length)
        {
            var (end, next) = NextCookieEnd(value, start);
            var cookie = value[start..end];
            var redacted = OneCookie(cookie, attributes: true, kind, action, rule, session);
            changed |= redacted is not null;
            sb.Append(redacted ?? cookie).Append(value, end, next - end);
            if (next >= value.Length)
            {
                break;
            }

            start = next;
        }

        return changed ? sb.ToString() : null;
    }

    /// <summary>Where the cookie starting at <paramref name="start"/> ends, and where the next one starts.</summary>
    private static (int End, int Next) NextCookieEnd(string value, int start)
    {
        for (var i = start; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\n' or '\r')
            {
                var next = i;
                while (next < value.Length && value[next] is '\n' or '\r')
                {
                    next++;
                }

                return (i, next);
            }

            if (c == ',' && StartsCookie(value, i + 1, out var cookieStart))
            {
                return (i, cookieStart);
            }
        }

        return (value.Length, value.Length);
    }

    /// <summary>True when <c>name=value</c> with a name that is not a Set-Cookie attribute starts after optional spaces.</summary>
    private static bool StartsCookie(string value, int from, out int cookieStart)
    {
        cookieStart = from;
        while (cookieStart < value.Length && value[cookieStart] == ' ')
        {
            cookieStart++;
        }

        var eq = value.IndexOf('=', cookieStart);
        if (eq <= cookieStart)
        {
            return false;
        }

        var name = value.AsSpan(cookieStart, eq - cookieStart);
        if (name.IndexOfAny(" ;,\t") >= 0)
        {
            return false;
        }

        return !IsCookieAttribute(name);
    }

    private static bool IsCookieAttribute(ReadOnlySpan<char> name) =>
        name.Equals("expires", StringComparison.OrdinalIgnoreCase) || name.Equals("max-age", StringComparison.OrdinalIgnoreCase)
        || name.Equals("domain", StringComparison.OrdinalIgnoreCase) || name.Equals("path", StringComparison.OrdinalIgnoreCase)
        || name.Equals("samesite", StringComparison.OrdinalIgnoreCase) || name.Equals("priority", StringComparison.OrdinalIgnoreCase)
        || name.Equals("secure", StringComparison.OrdinalIgnoreCase) || name.Equals("httponly", StringComparison.OrdinalIgnoreCase)
        || name.Equals("partitioned", StringComparison.OrdinalIgnoreCase) || name.Equals("version", StringComparison.OrdinalIgnoreCase)
        || name.Equals("comment", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A cookie value that is an id rather than a preference: machine-made (<see cref="Entropy.LooksRandom"/>) with a run of
    /// 12 or more letters and digits that holds a digit (a session id, a UUID's last group). A preference's words joined by
    /// separators look random to the entropy test (<c>utf8mb4_unicode_ci</c>, <c>America/New_York</c>, <c>en_US.UTF-8</c>)
    /// and recur in the page as the application's own text (a collation or time-zone list).
    /// </summary>
    private static bool LooksLikeSessionId(string value)
    {
        var run = 0;
        var digit = false;
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                run++;
                digit |= char.IsAsciiDigit(c);
                if (run >= 12 && digit)
                {
                    return Entropy.LooksRandom(value);
                }
            }
            else
            {
                run = 0;
                digit = false;
            }
        }

        return false;
    }

    /// <summary>
    /// A cookie value too short to be a credential: at most 4 characters hold under 24 bits even as base64, which anyone can
    /// guess, so no session id, token or password is one. They are flags and preferences a page's script sets itself
    /// (Icinga Web 2's cookie check <c>_chc=1</c> and time-zone offset <c>icingaweb2-tzo=0-0</c>, a consent <c>1</c>, a
    /// language <c>de</c>), which no response of the recording sets: masked, replay could only send the mask, and Icinga Web 2
    /// read <c>***</c> as no offset and rendered every page in UTC instead of the recorded time zone (QA round 15a).
    /// Unless the cookie's name says what the value is, as a form field's would: a PIN or one-time code (<c>pin=1234</c>),
    /// a user id or login (<c>uid=1001</c>, <c>username=ann</c>) is short and still the person's.
    /// </summary>
    private static bool CannotBeCredential(ReadOnlySpan<char> name, string value, RedactionSession session) =>
        value.Length <= 4 && (name.IsEmpty || !session.TryMatchField(session.Model.FieldNameOf(name), string.Empty, value, out _));

    /// <summary>
    /// One cookie's value redacted. A value that looks machine-made (a session id, <see cref="Entropy.LooksRandom"/>) is
    /// also spread like any redacted value: phpMyAdmin writes its session id into the login form
    /// (<c>&lt;input name="set_session"&gt;</c>), which kept it raw beside the masked cookie. A preference cookie's word
    /// (<c>skin=elastic</c>, <c>collation=utf8mb4_unicode_ci</c>) is not spread: it recurs in the page as the application's own text.
    /// </summary>
    private static string? OneCookie(string value, bool attributes, DataKind kind, ActionSpec action, string rule, RedactionSession session) =>
        CookiePairs.RewriteValues(value, setCookie: attributes, nameless: true, (kind, action, rule, session), static (s, name, v) =>
        {
            if (CannotBeCredential(name, v, s.session))
            {
                return null;
            }

            var redacted = Redacted(v, s.kind, s.action, s.session);
            if (redacted is not null && LooksLikeSessionId(v))
            {
                s.session.AddSpreadValue(v, s.rule, s.action, s.kind);
            }

            return redacted;
        });
}
