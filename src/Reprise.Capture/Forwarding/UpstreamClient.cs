using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Reprise.Capture.Forwarding;

/// <summary>The HTTP client the recorder forwards with: no proxy, no redirects, no decompression, no cookies, no trace-header rewriting.</summary>
internal static class UpstreamClient
{
    public static HttpMessageInvoker Create(X509Certificate2Collection? extraRoots, TimeSpan connectTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null, // the recorder decides traceparent, not the runtime
            ConnectTimeout = connectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            MaxConnectionsPerServer = int.MaxValue,
        };
        if (extraRoots is { Count: > 0 })
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Validate(extraRoots, certificate, errors);
        }

        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>System trust, or else a chain to one of <paramref name="roots"/>; a name mismatch is never accepted.</summary>
    internal static bool Validate(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
