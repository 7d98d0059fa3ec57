using System.Collections.Immutable;
using System.Globalization;
using Reprise.Core.Model;

namespace Reprise.Replay.Correlation;

/// <summary>
/// The attributes of a <c>Set-Cookie</c> that replay reads (<c>; Domain=…; Path=…; Max-Age=…; Expires=…</c>), walked once
/// for both the cookie's scope (<see cref="CookieScope.Of(string, string, bool)"/>) and whether it deletes the cookie
/// (<see cref="Deletes"/>). The last of each attribute counts (RFC 6265 5.3 step 4 reads the last Domain and Path; 5.2.2
/// the last Max-Age).
/// </summary>
/// <param name="Domain">The last <c>Domain</c>, lower case, without a leading dot; null when there is none or it is empty.</param>
/// <param name="Path">The last <c>Path</c> when it starts with <c>/</c>; else null (the default path applies).</param>
/// <param name="MaxAge">The last <c>Max-Age</c> that is a number, in seconds.</param>
/// <param name="Expires">The last <c>Expires</c> that is a cookie date (<see cref="CookieDate"/>).</param>
internal readonly record struct SetCookieAttributes(string? Domain, string? Path, long? MaxAge, DateTimeOffset? Expires)
{
    /// <summary>The attributes after the cookie's name and value (none when it has no <c>;</c>).</summary>
    public static SetCookieAttributes Read(string setCookie)
    {
        var semi = setCookie.IndexOf(';', StringComparison.Ordinal);
        if (semi < 0)
        {
            return default;
        }

        string? domain = null;
        string? path = null;
        long? maxAge = null;
        DateTimeOffset? expires = null;
        var attributes = setCookie.AsSpan(semi + 1);
        foreach (var range in attributes.Split(';'))
        {
            var attribute = attributes[range].Trim();
            if (attribute.StartsWith("domain=", StringComparison.OrdinalIgnoreCase))
            {
                var value = attribute[7..].Trim().TrimStart('.');
                domain = value.IsEmpty ? null : value.ToString().ToLowerInvariant();
            }
            else if (attribute.StartsWith("path=", StringComparison.OrdinalIgnoreCase))
            {
                var value = attribute[5..].Trim();
                path = value.StartsWith('/') ? value.ToString() : null;
            }
            else if (attribute.StartsWith("max-age=", StringComparison.OrdinalIgnoreCase))
            {
                // A value that is not a number is ignored (RFC 6265 5.2.2).
                if (long.TryParse(attribute[8..].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
                {
                    maxAge = seconds;
                }
            }
            else if (attribute.StartsWith("expires=", StringComparison.OrdinalIgnoreCase) && CookieDate.TryParse(attribute[8..], out var date))
            {
                expires = date;
            }
        }

        return new SetCookieAttributes(domain, path, maxAge, expires);
    }

    /// <summary>
    /// True when the <c>Set-Cookie</c> deletes its cookie (RFC 6265 5.3): <c>Max-Age</c> of zero or less, or, without a
    /// <c>Max-Age</c>, an <c>Expires</c> before the response's <c>Date</c> (before 2000 when it has none: deletions write
    /// 1970), both read as a browser reads a cookie date (<see cref="CookieDate"/>: PHP's dashes, any weekday, asctime).
    /// </summary>
    public bool Deletes(ImmutableArray<HeaderField> responseHeaders)
    {
        // Max-Age wins over Expires (RFC 6265 5.3).
        if (MaxAge is { } age)
        {
            return age <= 0;
        }

        if (Expires is not { } when)
        {
            return false;
        }

        var now = responseHeaders.Get("date") is { } text && CookieDate.TryParse(text, out var date)
            ? date
            : new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return when < now;
    }
}
