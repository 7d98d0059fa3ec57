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
        return IsThisListener(target, context.Connection, context.Request.Path) ? null : target;
    }

    /// <summary>
    /// True only for this listener's exact local endpoint (address and port): another loopback address on the
    /// same port is another server (a Node app on <c>[::1]:8080</c> while the proxy has <c>127.0.0.1:8080</c>).
    /// <c>localhost</c> names both loopback families, so it counts as this listener only for the proxy's own
    /// <c>/_reprise/</c> endpoints, which an application behind it does not serve.
    /// </summary>
    private static bool IsThisListener(ProxyTarget target, ConnectionInfo connection, PathString path)
    {
        if (target.Scheme != "http" || target.Port != connection.LocalPort || connection.LocalIpAddress is not { } local)
        {
            return false;
        }

        if (string.Equals(target.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return System.Net.IPAddress.IsLoopback(local) && path.StartsWithSegments("/_reprise", StringComparison.OrdinalIgnoreCase);
        }

        if (!System.Net.IPAddress.TryParse(target.Host, out var address))
        {
            return false;
        }

        var localAddress = local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local;
        var targetAddress = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return targetAddress.Equals(localAddress);
    }

    /// <summary>Like <see cref="GetProxyTarget(HttpContext, out ProxyConnectionMode)"/> without the mode.</summary>
    public static ProxyTarget? GetProxyTarget(this HttpContext context) => context.GetProxyTarget(out _);
}
