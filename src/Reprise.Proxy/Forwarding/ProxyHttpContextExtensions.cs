using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Reprise.Proxy.Forwarding;

/// <summary>Finds the intended origin of a request that came through the forward proxy.</summary>
public static class ProxyHttpContextExtensions
{
    /// <summary>
    /// The origin the client meant: from the CONNECT tunnel (<see cref="IProxyTargetFeature"/>) or from an
    /// absolute-form target (<c>GET http://host:port/path</c>, which Kestrel keeps in
    /// <see cref="IHttpRequestFeature.RawTarget"/> while <c>Request.Path</c> holds only the path).
    /// Null for a request to the proxy itself: origin-form (e.g. <c>/_reprise/health</c>), or absolute-form
    /// naming this listener's own address (<c>GET http://127.0.0.1:PROXYPORT/_reprise/health</c>).
    /// </summary>
    public static ProxyTarget? GetProxyTarget(this HttpContext context, out ProxyConnectionMode mode)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<IProxyTargetFeature>() is { } feature)
        {
            mode = feature.Mode;
            return feature.Target;
        }

        mode = ProxyConnectionMode.AbsoluteForm;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is null || raw.Length == 0 || raw[0] == '/' || !Uri.TryCreate(raw, UriKind.Absolute, out var uri))
        {
            return null;
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var target = new ProxyTarget(uri.Scheme, uri.IdnHost, uri.Port);
        // A client whose HTTP_PROXY is this listener asking for the listener itself (a health check
        // through the proxy): an origin-form request to the proxy, not traffic to record or forward.
        return IsThisListener(target, context.Connection) ? null : target;
    }

    private static bool IsThisListener(ProxyTarget target, ConnectionInfo connection)
    {
        if (target.Scheme != "http" || target.Port != connection.LocalPort || connection.LocalIpAddress is not { } local)
        {
            return false;
        }

        if (string.Equals(target.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return System.Net.IPAddress.IsLoopback(local);
        }

        return System.Net.IPAddress.TryParse(target.Host, out var address)
            && (address.Equals(local) || (local.IsIPv4MappedToIPv6 && address.Equals(local.MapToIPv4())) || (System.Net.IPAddress.IsLoopback(address) && System.Net.IPAddress.IsLoopback(local)));
    }

    /// <summary>Like <see cref="GetProxyTarget(HttpContext, out ProxyConnectionMode)"/> without the mode.</summary>
    public static ProxyTarget? GetProxyTarget(this HttpContext context) => context.GetProxyTarget(out _);
}
