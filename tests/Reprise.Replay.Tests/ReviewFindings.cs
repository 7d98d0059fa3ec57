using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Reprise.Replay.Tests.Support;
using Xunit;

namespace Reprise.Replay.Tests;

/// <summary>
/// Review of 773018f..09e17ce (rv9): each test fails on 09e17ce and shows one defect. Throwaway: the lead keeps or
/// moves them with the fix.
/// </summary>
public sealed class ReviewFindings
{
    // 9015aa3: TargetTrust.Accepts builds a new chain from the leaf alone with the --target-ca roots, ignoring the
    // intermediates the server sent in the handshake (the callback's chain/ExtraStore). A service whose own CA issues
    // through an intermediate (Vault PKI, Kubernetes, most private CAs) is rejected although its root was given.
    [Fact]
    public async Task TargetCa_Root_TrustsALeafIssuedThroughAnIntermediateTheServerSends()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Review Root CA", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-2), now.AddDays(10));

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=Review Intermediate CA", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var intermediatePublic = intermediateRequest.Create(root, now.AddDays(-1), now.AddDays(9), [1, 2, 3, 4]);
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        using var leafPublic = leafRequest.Create(intermediate, now.AddHours(-1), now.AddDays(1), [5, 6, 7, 8]);
        using var leafWithKey = leafPublic.CopyWithPrivateKey(leafKey);
        using var leaf = X509CertificateLoader.LoadPkcs12(leafWithKey.Export(X509ContentType.Pfx), null);

        var hits = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
        {
            o.Protocols = HttpProtocols.Http1AndHttp2;
            o.UseHttps(new Microsoft.AspNetCore.Server.Kestrel.Https.HttpsConnectionAdapterOptions
            {
                ServerCertificate = leaf,
                ServerCertificateChain = [X509CertificateLoader.LoadCertificate(intermediate.RawData)],
            });
        }));
        await using var app = builder.Build();
        app.Run(context =>
        {
            Interlocked.Increment(ref hits);
            return context.Response.WriteAsync("{}");
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = new Uri($"https://127.0.0.1:{new Uri(app.Urls.First()).Port}/");
        var sink = new ListSink();

        var summary = await Replayer.RunAsync(new ReplayOptions { Target = address, TargetCa = [X509CertificateLoader.LoadCertificate(root.RawData)] }, Recorded.Stream([Recorded.Request("GET", "/x", 0)]), sink, TestContext.Current.CancellationToken);

        Assert.Equal(0, summary.Errors);
        Assert.Equal(1, hits);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
    // 8cdd272: a masked token-named field gets "the latest credential learned for that mask", i.e. of that LENGTH. An OAuth
    // token response whose access and refresh tokens have the same length (Doorkeeper: 43, GitLab: 64) is recorded as two
    // equal masks, so one of access_token=**** and refresh_token=**** is sent the other token.
    [Fact]
    public async Task MaskedTokenFields_OfTheSameLength_GetTheTokenTheyWereIssuedAs()
    {
        const string Access = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        const string Refresh = "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr";
        var mask = new string('*', Access.Length);
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/oauth/token", () => Microsoft.AspNetCore.Http.Results.Json(new { access_token = Access, refresh_token = Refresh, token_type = "Bearer" }));
            app.MapGet("/api/me", () => Microsoft.AspNetCore.Http.Results.Ok());
        });

        Core.Model.Exchange Form(double at, string body, string? responseBody = null) =>
            Recorded.Request("POST", "/oauth/token", at, session: "s", responseBody: responseBody) is var e
                ? e with { Request = e.Request with { Body = Core.Model.ExchangeBody.FromText(body, "application/x-www-form-urlencoded") } }
                : null!;

        var login = Form(0, "grant_type=client_credentials&client_id=app", "{\"access_token\":\"" + mask + "\",\"refresh_token\":\"" + mask + "\",\"token_type\":\"Bearer\"}")
            with { Redactions = [new Core.Model.Redaction("response.body:$.access_token", "secret", "mask"), new Core.Model.Redaction("response.body:$.refresh_token", "secret", "mask")] };
        var exchanges = new[]
        {
            login,
            Recorded.Request("GET", "/api/me?access_token=" + mask, 0.1, session: "s"),
            Form(0.2, "grant_type=refresh_token&refresh_token=" + mask),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("/api/me?access_token=" + Access, sent[1].PathAndQuery);
        Assert.Equal("grant_type=refresh_token&refresh_token=" + Refresh, sent[2].Body);
    }
}
