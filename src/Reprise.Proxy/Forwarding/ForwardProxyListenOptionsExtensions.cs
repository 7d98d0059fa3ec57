using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Reprise.Proxy.Forwarding;

/// <summary>Turns a Kestrel listener into a forward-proxy front-end.</summary>
public static class ForwardProxyListenOptionsExtensions
{
    /// <summary>
    /// Makes this listener a forward proxy: CONNECT tunnels are answered here and either intercepted
    /// (TLS terminated with a leaf for the SNI name, ALPN h2/http1.1, decrypted requests go to the normal
    /// ASP.NET Core pipeline with <see cref="IProxyTargetFeature"/> set) or relayed blindly; any other
    /// request (absolute-form <c>GET http://host/path</c>, or origin-form to the proxy itself) goes to the
    /// pipeline unchanged. Use <see cref="ProxyHttpContextExtensions.GetProxyTarget(Microsoft.AspNetCore.Http.HttpContext)"/> in the app.
    /// Set <c>Protocols = Http1AndHttp2</c> on the listener for h2 inside intercepted TLS.
    /// </summary>
    public static ListenOptions UseForwardProxy(this ListenOptions listenOptions, ForwardProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(options);
        var loggerFactory = listenOptions.ApplicationServices.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("Reprise.Proxy.ForwardProxy");

        // Clients send Host equal to the absolute-form authority, but some send it without the default
        // port or not at all; the absolute target wins (RFC 9112 section 3.2.2).
        listenOptions.KestrelServerOptions.AllowHostHeaderOverride = true;
        // h2c inside a plain CONNECT tunnel carries :scheme http on a connection that reports "h2" like TLS.
        listenOptions.KestrelServerOptions.AllowAlternateSchemes = true;
        listenOptions.Use(next => new ForwardProxyConnectionMiddleware(next, options, logger).OnConnectionAsync);
        return listenOptions;
    }
}
