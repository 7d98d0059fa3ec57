using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Reprise.Proxy.Certificates;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>Certificates and TLS servers for tests (an "upstream CA" that is not the Reprise CA).</summary>
internal static class TestCertificates
{
    /// <summary>Client validation that trusts exactly <paramref name="root"/> (custom root trust; name mismatch rejected).</summary>
    public static bool TrustOnly(X509Certificate2 root, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    public static HttpClient ProxiedClient(Uri proxy, Func<X509Certificate?, SslPolicyErrors, bool> validate) =>
        new(new SocketsHttpHandler
        {
            Proxy = new AlwaysProxy(proxy),
            UseProxy = true,
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, errors) => validate(cert, errors) },
        })
        { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>An HTTPS Kestrel upstream on 127.0.0.1:0 with a leaf for <paramref name="host"/> (default "localhost") from <paramref name="ca"/>.</summary>
    public static async Task<(WebApplication App, int Port)> StartTlsUpstreamAsync(CertificateAuthority ca, Action<WebApplication> configure, string host = "localhost")
    {
        var leaf = LeafCertificateCache.CreateLeaf(ca, host, DateTimeOffset.UtcNow);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
        {
            o.Protocols = HttpProtocols.Http1AndHttp2;
            o.UseHttps(leaf);
        }));
        var app = builder.Build();
        configure(app);
        await app.StartAsync();
        return (app, new Uri(app.Urls.First()).Port);
    }

    private sealed class AlwaysProxy(Uri proxy) : IWebProxy
    {
        public ICredentials? Credentials { get; set; }

        public Uri GetProxy(Uri destination) => proxy;

        public bool IsBypassed(Uri host) => false;
    }
}
