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
        var authorityLength = schemeEnd < 0 ? 0 : url.AsSpan(authorityStart).IndexOfAny('/', '?', '#');
        var pathStart = authorityLength < 0 ? url.Length : authorityStart + authorityLength;

        var hash = url.IndexOf('#', pathStart);
        var restEnd = hash >= 0 ? hash : url.Length;
        var q = url.IndexOf('?', pathStart, restEnd - pathStart);
        var pathEnd = q >= 0 ? q : restEnd;

        // Each part is rewritten only when something in it is redacted; an unchanged URL allocates nothing here.
        var authority = RedactUserInfo(url, authorityStart, pathStart, session, location);
        var path = RedactPath(url.AsSpan(pathStart, pathEnd - pathStart), session, location);
        var query = q >= 0
            ? FormBodyRedactor.Redact(url[(q + 1)..restEnd], session, Suffixed(location, ":query"), session.Model.QueryRules, isQuery: true)
            : null;
        string? fragment = null;
        if (hash >= 0)
        {
            var text = url[(hash + 1)..];
            fragment = text.Contains('=', StringComparison.Ordinal)
                ? FormBodyRedactor.Redact(text, session, location + ":fragment", session.Model.QueryRules, isQuery: true)
                : session.RedactText(text, location + ":fragment");
        }

        if (authority is null && path is null && query is null && fragment is null)
        {
            return null;
        }

        var sb = new StringBuilder(url.Length);
        sb.Append(url, 0, authorityStart);
        sb.Append(authority ?? url[authorityStart..pathStart]);
        sb.Append(path ?? url[pathStart..pathEnd]);
        if (q >= 0)
        {
            sb.Append('?').Append(query ?? url[(q + 1)..restEnd]);
        }

        if (hash >= 0)
        {
            sb.Append('#').Append(fragment ?? url[(hash + 1)..]);
        }

        return sb.ToString();
    }

    /// <summary>The authority with its userinfo redacted (the password always masked), or null when it has none or nothing changed.</summary>
    private static string? RedactUserInfo(string url, int authorityStart, int pathStart, RedactionSession session, string location)
    {
        if (pathStart == authorityStart)
        {
            return null;
        }

        var at = url.LastIndexOf('@', pathStart - 1, pathStart - authorityStart);
        if (at < 0)
        {
            return null;
        }

        var authority = url[authorityStart..pathStart];
        at -= authorityStart;
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
        return newUserInfo == userInfo ? null : newUserInfo + authority[at..];
    }

    private static string? RedactPath(ReadOnlySpan<char> path, RedactionSession session, string location)
    {
        if (path.Length < 2)
        {
            return null;
        }

        string[]? segments = null;
        var i = 0;
        var previous = default(Range);
        foreach (var range in path.Split('/'))
        {
            var raw = path[range];
            var before = path[previous];
            previous = range;

            // A long segment after a link word (the word is looked at only then: most segments are short).
            if (raw.Length >= 16 && before.Length is >= 3 and <= 24 && IsLinkCredentialWord(before) && PathCredential(raw.ToString(), session, Suffixed(location, ":path") + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]") is { } masked)
            {
                segments ??= path.ToString().Split('/');
                segments[i] = masked;
                i++;
                continue;
            }

            // Short segments and plain ones no detector could match ("orders", "v2") are not decoded, nor is a location built.
            if (raw.Length >= 6 && (raw.Contains('%') || session.MayMatchText(TextStats.Of(raw))))
            {
                var segment = raw.ToString();
                string decoded;
                try
                {
                    decoded = Uri.UnescapeDataString(segment);
                }
                catch (UriFormatException)
                {
                    decoded = segment;
                }

                var where = Suffixed(location, ":path") + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
                if (session.RedactText(decoded, where, keyValues: false) is { } redacted)
                {
                    segments ??= path.ToString().Split('/');
                    segments[i] = Uri.EscapeDataString(redacted).Replace("%40", "@", StringComparison.Ordinal).Replace("%2A", "*", StringComparison.Ordinal);
                }
            }

            i++;
        }

        return segments is null ? null : string.Join('/', segments);
    }

    /// <summary>
    /// Path words after which a link carries a one-time credential (<c>/accounts/confirm-email/&lt;key&gt;/</c>,
    /// <c>/password/reset/key/&lt;uid&gt;-&lt;token&gt;/</c>, <c>/verify/&lt;token&gt;</c>, <c>/invite/&lt;code&gt;</c>), normalised as field names are.
    /// </summary>
    private static readonly System.Collections.Frozen.FrozenSet<string> LinkCredentialWords = System.Collections.Frozen.FrozenSet.ToFrozenSet(
    [
        "key", "token", "confirm", "confirmemail", "confirmation", "verify", "verifyemail", "verification", "activate", "activation",
        "reset", "resetpassword", "passwordreset", "invite", "invitation", "magiclink", "unsubscribe",
    ], StringComparer.Ordinal);

    private static readonly System.Collections.Frozen.FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> LinkCredentialWordsBySpan =
        LinkCredentialWords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether a path segment (at most 24 characters) is a <see cref="LinkCredentialWords"/> word; normalized on the stack, as every segment is asked.</summary>
    private static bool IsLinkCredentialWord(ReadOnlySpan<char> segment)
    {
        Span<char> normalized = stackalloc char[24];
        return LinkCredentialWordsBySpan.Contains(normalized[..FieldNames.NormalizeInto(segment, normalized)]);
    }

    /// <summary>
    /// The segment after a <see cref="LinkCredentialWords"/> word, masked as a URL secret when it looks machine-made (16 or
    /// more characters, <see cref="Entropy.LooksRandom"/>); null otherwise. Such a link is what an email confirmation or a
    /// password reset mails out: whoever holds it confirms the address or sets the password. No detector knows the shape
    /// of allauth's signed keys (<c>Mw:1xX2HT:sZCJp2…</c>) or Django's reset tokens (<c>4-dipxe6-c2d13d…</c>), and both
    /// went to disk in the path, the page's form action and the next request's Referer (QA round 16a). The secret spreads
    /// to those like any other redacted value.
    /// </summary>
    private static string? PathCredential(string raw, RedactionSession session, string where)
    {
        string value;
        try
        {
            value = Uri.UnescapeDataString(raw);
        }
        catch (UriFormatException)
        {
            value = raw;
        }

        if (TokenFormat.IsRedactedOutput(value) || !LooksLikeLinkKey(value) || (session.HasPrevious && session.IsSkipped(where)))
        {
            return null;
        }

        return session.Replace(value, DataKind.Secret, session.Model.SecretAction, "url-secret", where, out var dropped) is { } replaced
            ? Uri.EscapeDataString(replaced).Replace("%2A", "*", StringComparison.Ordinal)
            : dropped ? string.Empty : null;
    }

    /// <summary>
    /// True for a machine-made key: <see cref="Entropy.LooksRandom"/>, two digits or more, and no part (between '-', '_' or
    /// '.') that is a lower-case word of five letters or more beyond hex (a slug: <c>release-2024-notes</c>, <c>settings-page</c>).
    /// </summary>
    private static bool LooksLikeLinkKey(string value)
    {
        var digits = 0;
        foreach (var c in value)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        }

        if (digits < 2 || !Entropy.LooksRandom(value))
        {
            return false;
        }

        foreach (var range in value.AsSpan().SplitAny('-', '_', '.'))
        {
            var part = value.AsSpan(range.Start.Value, range.End.Value - range.Start.Value);
            if (part.Length >= 5 && part.ContainsAnyExceptInRange('a', 'z') is false && part.ContainsAnyInRange('g', 'z'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><paramref name="location"/> + <paramref name="suffix"/>, without allocating for the request URL itself.</summary>
    private static string Suffixed(string location, string suffix) => (location, suffix) switch
    {
        ("request.url", ":query") => "request.url:query",
        ("request.url", ":path") => "request.url:path",
        _ => location + suffix,
    };
}
