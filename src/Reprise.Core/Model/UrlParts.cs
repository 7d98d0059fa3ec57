namespace Reprise.Core.Model;

/// <summary>
/// Cheap, allocation-light views of a recorded URL. Recorded URLs are kept verbatim, so this splits
/// them by hand instead of normalising through <see cref="Uri"/>.
/// </summary>
public static class UrlParts
{
    /// <summary>The authority (host[:port]) of an absolute URL, or empty for a relative one.</summary>
    public static ReadOnlySpan<char> Authority(string url)
    {
        var span = url.AsSpan();
        var scheme = span.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return [];
        }

        var rest = span[(scheme + 3)..];
        var end = rest.IndexOfAny('/', '?', '#');
        var authority = end < 0 ? rest : rest[..end];
        var at = authority.LastIndexOf('@');
        return at >= 0 ? authority[(at + 1)..] : authority;
    }

    /// <summary>The host of an absolute URL, without port or IPv6 brackets, lower-cased.</summary>
    public static string Host(string url) => HostOfAuthority(Authority(url));

    /// <summary>
    /// Splits an authority into its host (IPv6 brackets removed) and port digits (empty when absent).
    /// Accepts <c>host</c>, <c>host:port</c>, <c>[v6]</c>, <c>[v6]:port</c> and a bare IPv6 literal
    /// (<c>::1</c>, as people write it in config): more than one colon outside brackets can only be an
    /// IPv6 address without a port (RFC 3986 §3.2.2 requires brackets around a literal with a port).
    /// </summary>
    public static void SplitAuthority(ReadOnlySpan<char> authority, out ReadOnlySpan<char> host, out ReadOnlySpan<char> port)
    {
        port = [];
        if (authority.Length > 0 && authority[0] == '[')
        {
            var close = authority.IndexOf(']');
            if (close < 0)
            {
                host = authority; // malformed: keep it whole so it only ever equals itself
                return;
            }

            host = authority[1..close];
            var rest = authority[(close + 1)..];
            port = rest.Length > 0 && rest[0] == ':' ? rest[1..] : [];
            return;
        }

        var colon = authority.IndexOf(':');
        if (colon >= 0 && authority.LastIndexOf(':') == colon)
        {
            host = authority[..colon];
            port = authority[(colon + 1)..];
            return;
        }

        host = authority;
    }

    /// <summary>The host of an authority (see <see cref="SplitAuthority"/>), lower-cased, without port or IPv6 brackets.</summary>
    public static string HostOfAuthority(ReadOnlySpan<char> authority)
    {
        SplitAuthority(authority, out var host, out _);
        return host.ToString().ToLowerInvariant();
    }

    /// <summary>
    /// The form of an authority to compare and key by: host lower-cased, an IPv6 literal in brackets,
    /// the port kept unless it is empty or the default of the scheme (80, or 443 when <paramref name="https"/>).
    /// <c>API.test:80</c>, <c>api.test</c> and <c>[::1]:443</c>/<c>::1</c> (https) each compare equal to their short form.
    /// </summary>
    public static string CanonicalAuthority(string? authority, bool https)
    {
        authority ??= string.Empty; // as the span form reads a missing Host: empty
        // The common case on a server's hot path (a lower-case name or IPv4 address, a non-default port or none) is
        // already canonical: return the instance rather than rebuild an equal string.
        var colon = authority.IndexOf(':');
        var canonical = authority.Length > 0 && authority[0] != '[' && System.Text.Ascii.IsValid(authority) && !authority.AsSpan().ContainsAnyInRange('A', 'Z')
            && (colon < 0 || (authority.LastIndexOf(':') == colon && colon < authority.Length - 1 && !authority.AsSpan(colon + 1).SequenceEqual(https ? "443" : "80")));
        return canonical ? authority : CanonicalAuthority(authority.AsSpan(), https);
    }

    /// <inheritdoc cref="CanonicalAuthority(string, bool)"/>
    public static string CanonicalAuthority(ReadOnlySpan<char> authority, bool https)
    {
        SplitAuthority(authority, out var host, out var port);
        var lower = host.ToString().ToLowerInvariant();
        if (lower.Contains(':', StringComparison.Ordinal))
        {
            lower = "[" + lower + "]";
        }

        return port.Length == 0 || port.SequenceEqual(https ? "443" : "80") ? lower : string.Concat(lower, ":", port);
    }

    /// <summary>The path (starting with '/') of an absolute or origin-form URL.</summary>
    public static ReadOnlySpan<char> Path(string url)
    {
        var span = url.AsSpan();
        var scheme = span.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            span = span[(scheme + 3)..];
            var slash = span.IndexOfAny('/', '?', '#');
            if (slash < 0)
            {
                return "/";
            }

            span = span[slash..];
        }

        var end = span.IndexOfAny('?', '#');
        var path = end < 0 ? span : span[..end];
        return path.Length == 0 ? "/" : path;
    }

    /// <summary>The query string without '?', or empty.</summary>
    public static ReadOnlySpan<char> Query(string url)
    {
        var span = url.AsSpan();
        var q = span.IndexOf('?');
        if (q < 0)
        {
            return [];
        }

        span = span[(q + 1)..];
        var hash = span.IndexOf('#');
        return hash < 0 ? span : span[..hash];
    }

    /// <summary>The path and query (origin form), as sent on an HTTP/1.1 request line.</summary>
    public static string PathAndQuery(string url)
    {
        var query = Query(url);
        var path = Path(url);
        return query.Length == 0 ? path.ToString() : string.Concat(path, "?", query);
    }
}
