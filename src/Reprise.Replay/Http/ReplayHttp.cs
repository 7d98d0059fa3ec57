using System.Net;

namespace Reprise.Replay.Http;

/// <summary>The HTTP client a replay sends with: a SocketsHttpHandler tuned for load generation.</summary>
internal static class ReplayHttp
{
    /// <summary>
    /// Pooled connections sized to the concurrency, no proxy, no cookies or redirects (the recording
    /// carries them), no automatic decompression (bodies compare as recorded), HTTP/2 allowed.
    /// </summary>
    public static HttpMessageInvoker CreateInvoker(ReplayOptions options) =>
        Create(options, options.Pacing == Pacing.PacingMode.Vus ? options.Vus : Math.Max(64, Math.Min(options.MaxInFlight, 1024)));

    /// <summary>The client WebSocket sessions open with: the same settings, its own connections (an upgraded one leaves the pool).</summary>
    public static HttpMessageInvoker CreateWebSocketInvoker(ReplayOptions options) => Create(options, int.MaxValue);

    private static HttpMessageInvoker Create(ReplayOptions options, int connections)
    {
        if (options.Handler is { } handler)
        {
            return new HttpMessageInvoker(handler, disposeHandler: false);
        }

        var sockets = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            // Not automatic: that would add Accept-Encoding to every request, so the target would compress responses
            // the recorded client never asked compressed. The transports decode what comes (ContentDecoding) instead.
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = connections,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
        };
        if (options.Insecure)
        {
#pragma warning disable CA5359 // --insecure is an explicit opt-in for test targets with self-signed certificates.
            sockets.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (options.TargetCa is { Count: > 0 } roots)
        {
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => TargetTrust.Accepts(roots, certificate, chain, errors);
        }

        return new HttpMessageInvoker(sockets, disposeHandler: true);
    }
}
