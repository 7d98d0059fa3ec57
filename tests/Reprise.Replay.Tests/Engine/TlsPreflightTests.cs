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

namespace Reprise.Replay.Tests.Engine;

/// <summary>An HTTPS target whose certificate is not trusted fails the preflight at once, naming the TLS reason and --insecure.</summary>
public sealed class TlsPreflightTests
{
    [Fact]
    public async Task UntrustedCertificate_FailsBeforeAnyRequest_NamingTheReasonAndInsecure()
    {
        var hits = 0;
        await using var server = await SelfSignedServer.StartAsync(() => Interlocked.Increment(ref hits));
        var options = new ReplayOptions { Target = server.Address };

        var ex = await Assert.ThrowsAsync<ReplayTargetUnreachableException>(() => Replayer.RunAsync(options, Recorded.Stream([Recorded.Request("GET", "/x", 0)]), new ListSink(), TestContext.Current.CancellationToken));

        Assert.DoesNotContain('\n', ex.Message);
        Assert.StartsWith("--target https://127.0.0.1:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("certificate", ex.Message, StringComparison.Ordinal);
        Assert.Contains("UntrustedRoot", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--insecure", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, hits);
    }

    [Fact]
    public async Task PreserveHost_ValidatesTheRecordedHostTheRequestsWillCarry()
    {
        // The certificate names localhost and 127.0.0.1; the requests will carry Host api.example.test (and TLS
        // will name it), so the preflight must report the name mismatch for that host, not pass the IP's name.
        var hits = 0;
        await using var server = await SelfSignedServer.StartAsync(() => Interlocked.Increment(ref hits));
        var request = Recorded.Request("GET", "/x", 0);
        request = request with { Request = request.Request with { Headers = request.Request.Headers.Add(new Reprise.Core.Model.HeaderField("Host", "api.example.test:8443")) } };

        var ex = await Assert.ThrowsAsync<ReplayTargetUnreachableException>(() => Replayer.RunAsync(new ReplayOptions { Target = server.Address, PreserveHost = true }, Recorded.Stream([request]), new ListSink(), TestContext.Current.CancellationToken));

        Assert.Contains("certificate name does not match 'api.example.test'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, hits);
    }

    [Theory]
    [InlineData("api.test:8443", "api.test")]
    [InlineData("api.test", "api.test")]
    [InlineData("[::1]:443", "::1")]
    [InlineData(" ", null)]
    public void HostName_DropsThePort(string header, string? expected) => Assert.Equal(expected, Reprise.Replay.Engine.Preflight.HostName(header));

    [Fact]
    public async Task UntrustedCertificate_WithInsecure_Replays()
    {
        var hits = 0;
        await using var server = await SelfSignedServer.StartAsync(() => Interlocked.Increment(ref hits));
        var sink = new ListSink();

        var summary = await Replayer.RunAsync(new ReplayOptions { Target = server.Address, Insecure = true }, Recorded.Stream([Recorded.Request("GET", "/x", 0)]), sink, TestContext.Current.CancellationToken);

        Assert.Equal(1, hits);
        Assert.Equal(0, summary.Errors);
        Assert.Equal(200, Assert.Single(sink.Results).Response!.Status);
    }

    [Fact]
    public async Task UntrustedCertificate_WithItsCaAsTargetCa_Replays_AnotherCaStillFails()
    {
        // QA round 9 (Icinga 2's API answers with a certificate of its own CA): `test` could only skip validation
        // (--insecure); record has --upstream-ca, replay and test now have --target-ca.
        var hits = 0;
        await using var server = await SelfSignedServer.StartAsync(() => Interlocked.Increment(ref hits));
        await using var other = await SelfSignedServer.StartAsync(() => { });
        var sink = new ListSink();

        var summary = await Replayer.RunAsync(new ReplayOptions { Target = server.Address, TargetCa = [X509CertificateLoader.LoadCertificate(server.Certificate.RawData)] }, Recorded.Stream([Recorded.Request("GET", "/x", 0)]), sink, TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<ReplayTargetUnreachableException>(() => Replayer.RunAsync(new ReplayOptions { Target = server.Address, TargetCa = [X509CertificateLoader.LoadCertificate(other.Certificate.RawData)] }, Recorded.Stream([Recorded.Request("GET", "/x", 0)]), new ListSink(), TestContext.Current.CancellationToken));

        Assert.Equal(0, summary.Errors);
        Assert.Equal(200, Assert.Single(sink.Results).Response!.Status);
        Assert.Contains("also with the --target-ca roots", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, hits);
    }

    /// <summary>A Kestrel HTTPS server on 127.0.0.1:0 with a fresh self-signed certificate (trusted by nobody).</summary>
    internal sealed class SelfSignedServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly X509Certificate2 _certificate;

        private SelfSignedServer(WebApplication app, X509Certificate2 certificate, Uri address)
        {
            _app = app;
            _certificate = certificate;
            Address = address;
        }

        public Uri Address { get; }

        public X509Certificate2 Certificate => _certificate;

        public static async Task<SelfSignedServer> StartAsync(Action onRequest)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
            {
                o.Protocols = HttpProtocols.Http1AndHttp2;
                o.UseHttps(certificate);
            }));
            var app = builder.Build();
            app.Run(context =>
            {
                onRequest();
                return context.Response.WriteAsync("{}");
            });
            await app.StartAsync();
            var port = new Uri(app.Urls.First()).Port;
            return new SelfSignedServer(app, certificate, new Uri($"https://127.0.0.1:{port}/"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _certificate.Dispose();
        }
    }
}
