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
    /// Null for an ordinary origin-form request to the proxy itself (e.g. <c>/_reprise/health</c>).
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

        return new ProxyTarget(uri.Scheme, uri.IdnHost, uri.Port);
    }

    /// <summary>Like <see cref="GetProxyTarget(HttpContext, out ProxyConnectionMode)"/> without the mode.</summary>
    public static ProxyTarget? GetProxyTarget(this HttpContext context) => context.GetProxyTarget(out _);
}
