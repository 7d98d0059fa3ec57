using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Reprise.Proxy.Tests;

/// <summary>Client-side trust of exactly one CA (custom root trust, not "accept anything").</summary>
internal static class CaTrust
{
    public static bool Validates(X509Certificate2 root, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false; // name mismatch or no certificate is never accepted
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    /// <summary>An HttpClient that goes through <paramref name="proxy"/> for every host (loopback too) and trusts only <paramref name="root"/>.</summary>
    public static HttpClient Client(Uri proxy, X509Certificate2? root, Func<X509Certificate?, bool>? validate = null)
    {
        var handler = new SocketsHttpHandler
        {
            Proxy = new AlwaysProxy(proxy),
            UseProxy = true,
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
            validate is not null ? validate(cert) : root is not null && Validates(root, cert, errors);
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    private sealed class AlwaysProxy(Uri proxy) : System.Net.IWebProxy
    {
        public System.Net.ICredentials? Credentials { get; set; }

        public Uri GetProxy(Uri destination) => proxy;

        public bool IsBypassed(Uri host) => false;
    }
}
