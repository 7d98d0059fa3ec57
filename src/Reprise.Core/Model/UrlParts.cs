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
    public static string Host(string url)
    {
        var authority = Authority(url);
        if (authority.Length > 0 && authority[0] == '[')
        {
            var close = authority.IndexOf(']');
            return close > 0 ? authority[1..close].ToString().ToLowerInvariant() : authority.ToString();
        }

        var colon = authority.LastIndexOf(':');
        return (colon >= 0 ? authority[..colon] : authority).ToString().ToLowerInvariant();
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
