using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Capture.Forwarding;
using Reprise.Core.Model;
using Reprise.Proxy.Certificates;
using Reprise.Testing;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>Forward proxy recording: HTTPS interception against a real TLS upstream, blind tunnels, trace links.</summary>
public sealed class ForwardProxyRecordingTests : IDisposable
{
    private readonly CertificateAuthority _repriseCa = CertificateAuthority.Create(DateTimeOffset.UtcNow);
    private readonly CertificateAuthority _upstreamCa = CertificateAuthority.Create(DateTimeOffset.UtcNow);
    private readonly X509Certificate2 _reprisePublic;
    private readonly X509Certificate2 _upstreamPublic;

    public ForwardProxyRecordingTests()
    {
        _reprisePublic = X509CertificateLoader.LoadCertificate(_repriseCa.Certificate.RawData);
        _upstreamPublic = X509CertificateLoader.LoadCertificate(_upstreamCa.Certificate.RawData);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _reprisePublic.Dispose();
        _upstreamPublic.Dispose();
        _repriseCa.Dispose();
        _upstreamCa.Dispose();
    }

    [Fact]
    public async Task HttpsUpstreamWithAnUntrustedCertificate_502NamesTheFlagThatTrustsIt()
    {
        // QA round 4: a self-signed HTTPS dependency answered "reprise: upstream https://localhost:36877 failed
        // (Request: The remote certificate is invalid ... UntrustedRoot)" with no word of --upstream-ca.
        var (upstream, port) = await TestCertificates.StartTlsUpstreamAsync(_upstreamCa, app => app.MapGet("/kyc", () => "ok"));
        await using var _ = upstream;
        await using var recorder = await Recorder.StartAsync(o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), Authority = _repriseCa });

        using var client = TestCertificates.ProxiedClient(recorder.Server.ProxyAddress!, (cert, errors) => TestCertificates.TrustOnly(_reprisePublic, cert, errors));
        using var response = await client.GetAsync($"https://localhost:{port}/kyc", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("--upstream-ca", text, StringComparison.Ordinal);
        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Contains("--upstream-ca", Assert.Single(exchanges).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpsUpstreamWithAWrongHostName_502NamesTheMismatch_AndDoesNotSuggestTrustingACa()
    {
        // Review of the QA4 hint: any TLS failure said "trust it with --upstream-ca", also a name mismatch that no
        // trusted root fixes.
        var (upstream, port) = await TestCertificates.StartTlsUpstreamAsync(_upstreamCa, app => app.MapGet("/kyc", () => "ok"), host: "other.test");
        await using var _ = upstream;
        await using var recorder = await Recorder.StartAsync(o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), Authority = _repriseCa });

        var text = await Get502Async(recorder, port);

        Assert.Contains("RemoteCertificateNameMismatch", text, StringComparison.Ordinal);
        Assert.DoesNotContain("--upstream-ca", text, StringComparison.Ordinal);
        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.DoesNotContain("--upstream-ca", Assert.Single(exchanges).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpsUpstreamNotCoveredByTheGivenUpstreamCa_502NamesTheChainError_AndDoesNotSuggestTheFlagAgain()
    {
        using var otherCa = CertificateAuthority.Create(DateTimeOffset.UtcNow);
        using var otherPublic = X509CertificateLoader.LoadCertificate(otherCa.Certificate.RawData);
        var (upstream, port) = await TestCertificates.StartTlsUpstreamAsync(_upstreamCa, app => app.MapGet("/kyc", () => "ok"));
        await using var _ = upstream;
        await using var recorder = await Recorder.StartAsync(o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), Authority = _repriseCa, UpstreamRoots = [otherPublic] });

        var text = await Get502Async(recorder, port);

        Assert.DoesNotContain("trust it with", text, StringComparison.Ordinal);
        Assert.Contains("also with the --upstream-ca roots", text, StringComparison.Ordinal);
        Assert.Matches("UntrustedRoot|PartialChain", text);
    }

    [Fact]
    public async Task HttpsUpstreamWithAWrongHostName_WhoseRootWasGiven_502NamesOnlyTheMismatch()
    {
        var (upstream, port) = await TestCertificates.StartTlsUpstreamAsync(_upstreamCa, app => app.MapGet("/kyc", () => "ok"), host: "other.test");
        await using var _ = upstream;
        await using var recorder = await Recorder.StartAsync(o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), Authority = _repriseCa, UpstreamRoots = [_upstreamPublic] });

        var text = await Get502Async(recorder, port);

        Assert.Contains("RemoteCertificateNameMismatch", text, StringComparison.Ordinal);
        Assert.DoesNotContain("chain", text, StringComparison.Ordinal); // the given root covers the chain
    }

    private async Task<string> Get502Async(Recorder recorder, int port)
    {
        using var client = TestCertificates.ProxiedClient(recorder.Server.ProxyAddress!, (cert, errors) => TestCertificates.TrustOnly(_reprisePublic, cert, errors));
        using var response = await client.GetAsync($"https://localhost:{port}/kyc", Ct);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task HttpsUpstream_InterceptedWithRepriseCa_RecordedAsOutbound(int major)
    {
        var (upstream, port) = await TestCertificates.StartTlsUpstreamAsync(_upstreamCa, app =>
            app.MapPost("/charge", async (HttpContext c) => $"charged {await new StreamReader(c.Request.Body).ReadToEndAsync(c.RequestAborted)} via {c.Request.Protocol}"));
        await using var _ = upstream;
        await using var recorder = await Recorder.StartAsync(o => o with
        {
            ProxyListen = new IPEndPoint(IPAddress.Loopback, 0),
            Authority = _repriseCa,
            UpstreamRoots = [_upstreamPublic],
        });

        // The client trusts only the Reprise CA: it can only succeed through interception.
        using var client = TestCertificates.ProxiedClient(recorder.Server.ProxyAddress!, (cert, errors) => TestCertificates.TrustOnly(_reprisePublic, cert, errors));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://localhost:{port}/charge?amount=5")
        {
            Content = new StringContent("42"),
            Version = new Version(major, major == 1 ? 1 : 0),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("charged 42 via HTTP/", text, StringComparison.Ordinal);

        var (header, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal("intercept", header.Capture["forwardProxy"]);
        var exchange = Assert.Single(exchanges);
        Assert.Equal(Direction.Outbound, exchange.Direction);
        Assert.Equal($"https://localhost:{port}/charge?amount=5", exchange.Request.Url);
        Assert.Equal("localhost", exchange.Service);
        Assert.Equal(major == 2 ? "HTTP/2" : "HTTP/1.1", exchange.Request.Version);
        Assert.Equal("42", exchange.Request.Body!.Text);
        Assert.Equal(text, exchange.Response!.Body!.Text);
    }

    [Fact]
    public async Task HttpsUpstream_ClientNotTrustingRepriseCa_Fails()
    {
        await using var recorder = await Recorder.StartAsync(o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), Authority = _repriseCa });
        using var client = TestCertificates.ProxiedClient(recorder.Server.ProxyAddress!, (cert, errors) => TestCertificates.TrustOnly(_upstreamPublic, cert, errors));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("https://localhost:1/", Ct));
    }

    [Fact]
    public async Task NoInterceptHost_TunnelledBlindly_RecordedAsConnect()
    {
        var (upstream, port) = await TestCertificates.StartTlsUpstreamAsync(_upstreamCa, app => app.MapGet("/", () => "direct"));
        await using var _ = upstream;
        await using var recorder = await Recorder.StartAsync(o => o with
        {
            ProxyListen = new IPEndPoint(IPAddress.Loopback, 0),
            Authority = _repriseCa,
            NoInterceptHosts = ["localhost"],
        });

        // The client trusts only the upstream's CA: it sees the upstream's own certificate end to end.
        using var client = TestCertificates.ProxiedClient(recorder.Server.ProxyAddress!, (cert, errors) => TestCertificates.TrustOnly(_upstreamPublic, cert, errors));
        Assert.Equal("direct", await client.GetStringAsync($"https://localhost:{port}/", Ct));
        client.Dispose();
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(30) && recorder.Server.Stats.Exchanges == 0;)
        {
            await Task.Delay(50, Ct);
        }

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var tunnel = Assert.Single(exchanges);
        Assert.Equal("CONNECT", tunnel.Request.Method);
        Assert.Equal($"https://localhost:{port}", tunnel.Request.Url);
        Assert.Equal("blind", tunnel.Tags["tunnel"]);
        Assert.True(long.Parse(tunnel.Tags["tunnel.bytesFromTarget"], System.Globalization.CultureInfo.InvariantCulture) > 100);
    }

    [Fact]
    public async Task ProxyListener_HealthAndNonProxyRequests_AnsweredLocallyNotRecorded()
    {
        await using var recorder = await Recorder.StartAsync(o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), Authority = _repriseCa });
        Assert.Equal("ok\n", await recorder.Client.GetStringAsync(new Uri(recorder.Server.ProxyAddress!, "/_reprise/health"), Ct));
        using var other = await recorder.Client.GetAsync(new Uri(recorder.Server.ProxyAddress!, "/orders"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Contains("HTTP_PROXY", await other.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null(recorder.Server.ReverseAddress);
        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Empty(exchanges);
    }

    [Fact]
    public async Task ProxyListener_AbsoluteFormHealthOfItself_AnsweredLocallyNotRecorded()
    {
        await using var recorder = await Recorder.StartAsync(o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), Authority = _repriseCa });
        // A client with HTTP_PROXY set to the recorder checks the recorder's health through itself.
        using var viaProxy = TestCertificates.ProxiedClient(recorder.Server.ProxyAddress!, (_, _) => false);
        Assert.Equal("ok\n", await viaProxy.GetStringAsync(new Uri(recorder.Server.ProxyAddress!, "/_reprise/health"), Ct));
        var localhost = new UriBuilder(recorder.Server.ProxyAddress!) { Host = "localhost", Path = "/_reprise/health" }.Uri;
        Assert.Equal("ok\n", await viaProxy.GetStringAsync(localhost, Ct));
        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Empty(exchanges);
    }

    [Fact]
    public async Task NoInterceptHostDown_RecordedAsFailedConnect()
    {
        using var closed = ClosedPort.Reserve();
        var port = closed.Port;
        await using var recorder = await Recorder.StartAsync(o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), Authority = _repriseCa, NoInterceptHosts = ["localhost"] });
        using var client = TestCertificates.ProxiedClient(recorder.Server.ProxyAddress!, (_, _) => false);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync($"https://localhost:{port}/", Ct));
        var (_, exchanges) = await recorder.StopAndReadAsync();
        var tunnel = Assert.Single(exchanges);
        Assert.Equal("CONNECT", tunnel.Request.Method);
        Assert.Equal(ExchangeErrorKind.Connect, tunnel.Error!.Kind);
        Assert.Null(tunnel.Response);
    }

    [Fact]
    public async Task AbsoluteFormHttp_RecordedAsOutbound()
    {
        await using var dependency = await TestKestrel.StartAsync(app => app.MapGet("/rates", () => Results.Json(new { eur = 1.1 })));
        await using var recorder = await Recorder.StartAsync(o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), Authority = _repriseCa });
        using var client = TestCertificates.ProxiedClient(recorder.Server.ProxyAddress!, (_, _) => false);
        Assert.Equal("{\"eur\":1.1}", await client.GetStringAsync(new Uri(dependency.Address, "/rates"), Ct));

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var exchange = Assert.Single(exchanges);
        Assert.Equal(Direction.Outbound, exchange.Direction);
        Assert.Equal(new Uri(dependency.Address, "/rates").ToString(), exchange.Request.Url);
        Assert.Null(exchange.TraceId); // no traceparent on an outbound call: nothing to link, nothing invented
    }

    [Fact]
    public async Task Traceparent_InboundAndTheOutboundCallsItCaused_AreLinkedInOneRecording()
    {
        await using var dependency = await TestKestrel.StartAsync(app => app.MapGet("/stock/{id}", (string id) => $"stock {id}"));

        // The service under capture: handles /order by calling its dependency through the forward proxy,
        // propagating the traceparent it received (what OpenTelemetry-instrumented services do).
        HttpClient? outbound = null;
        await using var service = await TestKestrel.StartAsync(app => app.MapGet("/order", async (HttpContext c) =>
        {
            using var call = new HttpRequestMessage(HttpMethod.Get, new Uri(dependency.Address, "/stock/7"));
            call.Headers.Add("traceparent", c.Request.Headers.TraceParent.ToString());
            using var result = await outbound!.SendAsync(call, c.RequestAborted);
            return "order ok, " + await result.Content.ReadAsStringAsync(c.RequestAborted);
        }));

        // One record process, both listeners, one file.
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = service.Address, ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), Authority = _repriseCa });
        outbound = TestCertificates.ProxiedClient(recorder.Server.ProxyAddress!, (_, _) => false);
        try
        {
            Assert.Equal("order ok, stock 7", await recorder.Client.GetStringAsync(recorder.Url("/order"), Ct));
        }
        finally
        {
            outbound.Dispose();
        }

        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal(2, exchanges.Count);
        var user = exchanges.Single(e => e.Direction == Direction.Inbound);
        var dep = exchanges.Single(e => e.Direction == Direction.Outbound);
        Assert.NotNull(user.TraceId);
        Assert.Equal(user.TraceId, dep.TraceId);
        Assert.Equal(user.SpanId, dep.ParentId);
        Assert.Equal("injected", user.Tags[RecordingForwarder.TraceInjectedTag]);
        Assert.EndsWith("/stock/7", dep.Request.Url, StringComparison.Ordinal);
    }
}
