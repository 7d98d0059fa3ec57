using System.Globalization;

namespace Reprise.Proxy.Forwarding;

/// <summary>The origin a forward-proxied request is meant for (from the absolute-form target or the CONNECT authority).</summary>
/// <param name="Scheme"><c>http</c> or <c>https</c>.</param>
/// <param name="Host">The host name or IP literal (IPv6 without brackets).</param>
/// <param name="Port">The TCP port.</param>
public readonly record struct ProxyTarget(string Scheme, string Host, int Port)
{
    /// <summary>True when <see cref="Port"/> is the default for <see cref="Scheme"/>.</summary>
    public bool IsDefaultPort => Port == (Scheme == "https" ? 443 : 80);

    /// <summary><c>host[:port]</c> as it belongs in a Host header or URL (IPv6 bracketed, default port left out).</summary>
    public string Authority
    {
        get
        {
            var host = Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host;
            return IsDefaultPort ? host : host + ":" + Port.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary><c>scheme://authority</c>, no trailing slash.</summary>
    public string Origin => Scheme + "://" + Authority;

    /// <summary>The absolute URL of <paramref name="pathAndQuery"/> on this origin.</summary>
    public string Url(string pathAndQuery) => Origin + (pathAndQuery.StartsWith('/') ? pathAndQuery : "/" + pathAndQuery);

    /// <summary>Parses a CONNECT authority (<c>host:port</c>, <c>[v6]:port</c>); the port is required.</summary>
    public static bool TryParseAuthority(ReadOnlySpan<char> authority, string scheme, out ProxyTarget target)
    {
        target = default;
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || colon == authority.Length - 1)
        {
            return false;
        }

        var hostPart = authority[..colon];
        if (!int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        if (hostPart[0] == '[')
        {
            if (hostPart.Length < 3 || hostPart[^1] != ']')
            {
                return false;
            }

            hostPart = hostPart[1..^1];
        }
        else if (hostPart.Contains(':'))
        {
            return false; // an unbracketed IPv6 literal is ambiguous
        }

        foreach (var c in hostPart)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':' or '%'))
            {
                return false;
            }
        }

        target = new ProxyTarget(scheme, hostPart.ToString(), port);
        return true;
    }
}
