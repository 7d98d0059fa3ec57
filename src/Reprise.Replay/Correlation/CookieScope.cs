namespace Reprise.Replay.Correlation;

/// <summary>
/// Where a cookie is sent (RFC 6265 5.3): its domain (the <c>Domain</c> attribute, else the host that set it, host-only)
/// and its path (the <c>Path</c> attribute when it starts with <c>/</c>, else the default path of the URL that set it).
/// </summary>
/// <param name="Domain">The domain, lower case, without a leading dot.</param>
/// <param name="HostOnly">True when only that host gets the cookie (no <c>Domain</c> attribute).</param>
/// <param name="Path">The path.</param>
internal readonly record struct CookieScope(string Domain, bool HostOnly, string Path)
{
    /// <summary>
    /// The scope of a <c>Set-Cookie</c> answered to a request for <paramref name="requestUrl"/>. Without
    /// <paramref name="readDomain"/> the <c>Domain</c> attribute is not read (the new build's answer names the target's
    /// domain, not the recorded host the jar is matched against): the cookie is the recorded host's. So is a cookie whose
    /// <c>Domain</c> the request's host does not domain-match.
    /// </summary>
    public static CookieScope Of(string setCookie, string requestUrl, bool readDomain = true) =>
        Of(SetCookieAttributes.Read(setCookie), HostAndPath(requestUrl), readDomain);

    /// <summary>
    /// The scope of a <c>Set-Cookie</c> whose attributes were read already, answered to a request for
    /// <paramref name="request"/> (its <see cref="HostAndPath"/>); see <see cref="Of(string, string, bool)"/>.
    /// </summary>
    public static CookieScope Of(SetCookieAttributes attributes, (string Host, string Path) request, bool readDomain = true)
    {
        var (host, requestPath) = request;
        var domain = readDomain ? attributes.Domain : null;
        var path = attributes.Path;

        if (domain is not null && !new CookieScope(domain, HostOnly: false, "/").Matches(host, "/"))
        {
            // A Domain the recorded host does not domain-match: a browser rejects such a cookie, so the client that sent
            // it back saw another host than the recording names (the reverse proxy records the upstream's, the application
            // writes its public domain). The cookie is the recorded host's, or no recorded request would be in its scope
            // and its path would count for nothing.
            domain = null;
        }

        return new CookieScope(domain ?? host, domain is null, path ?? DefaultPath(requestPath));
    }

    /// <summary>True when a request for <paramref name="host"/> and <paramref name="path"/> gets the cookie (RFC 6265 5.1.3, 5.1.4).</summary>
    public bool Matches(string host, string path)
    {
        var domainMatch = string.Equals(host, Domain, StringComparison.OrdinalIgnoreCase)
            || (!HostOnly && host.Length > Domain.Length && host.EndsWith(Domain, StringComparison.OrdinalIgnoreCase) && host[^(Domain.Length + 1)] == '.'
                && !System.Net.IPAddress.TryParse(host, out _));
        if (!domainMatch)
        {
            return false;
        }

        return string.Equals(path, Path, StringComparison.Ordinal)
            || (path.StartsWith(Path, StringComparison.Ordinal) && (Path.EndsWith('/') || path[Path.Length] == '/'));
    }

    /// <summary>The host (lower case, without port) and path of a URL; an empty host and <c>/</c> when it does not parse.</summary>
    public static (string Host, string Path) HostAndPath(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return (uri.IdnHost.ToLowerInvariant(), uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath);
        }

        var query = url.IndexOfAny(['?', '#']);
        var path = query < 0 ? url : url[..query];
        return (string.Empty, path.StartsWith('/') ? path : "/");
    }

    /// <summary>RFC 6265 5.1.4: the request path up to its last <c>/</c>, or <c>/</c>.</summary>
    private static string DefaultPath(string requestPath)
    {
        if (requestPath.Length == 0 || requestPath[0] != '/')
        {
            return "/";
        }

        var last = requestPath.LastIndexOf('/');
        return last <= 0 ? "/" : requestPath[..last];
    }
}
