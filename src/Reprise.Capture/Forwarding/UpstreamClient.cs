using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Reprise.Core.Tls;

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
        // Always checked here (the same verdict as the system's without --upstream-ca), so a rejection says why.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Check(extraRoots, certificate, chain, errors);

        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>
    /// System trust, or else (with <paramref name="roots"/>) a chain to one of them; a name mismatch is never accepted.
    /// A rejection throws <see cref="UpstreamCertificateException"/> naming what was wrong.
    /// </summary>
    internal static bool Check(X509Certificate2Collection? roots, X509Certificate? certificate, X509Chain? systemChain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        var status = Flags(systemChain);
        if (roots is { Count: > 0 } && certificate is not null && (errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            if (CustomRootChain.Builds(roots, certificate, systemChain, out var customStatus))
            {
                // The given roots cover the chain: only the other errors (a name mismatch) remain, if any.
                errors &= ~SslPolicyErrors.RemoteCertificateChainErrors;
                status = X509ChainStatusFlags.NoError;
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }
            }
            else
            {
                status = customStatus;
            }
        }

        throw new UpstreamCertificateException(errors, status, roots is { Count: > 0 });
    }

    private static X509ChainStatusFlags Flags(X509Chain? chain)
    {
        var flags = X509ChainStatusFlags.NoError;
        if (chain is not null)
        {
            foreach (var status in chain.ChainStatus)
            {
                flags |= status.Status;
            }
        }

        return flags;
    }
}
