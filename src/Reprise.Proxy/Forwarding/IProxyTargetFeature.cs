namespace Reprise.Proxy.Forwarding;

/// <summary>
/// Set on the connection (and so visible from every <c>HttpContext.Features</c> on it) when requests
/// arrive through a CONNECT tunnel: where the client meant to go. Use
/// <see cref="ProxyHttpContextExtensions.GetProxyTarget(Microsoft.AspNetCore.Http.HttpContext)"/> to cover absolute-form requests as well.
/// </summary>
public interface IProxyTargetFeature
{
    /// <summary>The origin from the CONNECT authority (scheme <c>https</c> when TLS was intercepted).</summary>
    ProxyTarget Target { get; }

    /// <summary>How the connection reached the proxy.</summary>
    ProxyConnectionMode Mode { get; }

    /// <summary>The TLS server name (SNI) the client asked for, when intercepted and sent.</summary>
    string? ServerName { get; }
}
