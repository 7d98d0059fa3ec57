using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Reprise.Core.Model;
using Reprise.Proxy.Certificates;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>
/// A real Kestrel service makes outbound HTTPS calls to a real HTTPS dependency (recorded by a
/// DelegatingHandler); the dependency stops; the same service then reaches the mock through its
/// forward-proxy listener (HttpClient with WebProxy = HTTPS_PROXY semantics, trusting only the
/// Reprise CA) and gets the same answers. Unrecorded hosts are refused.
/// </summary>
public sealed class ProxyModeTests
{
    [Fact]
    public async Task Service_HttpsDependencyThroughMockProxy_SameResponses()
    {
        var ct = TestContext.Current.CancellationToken;
        using var home = new TempDir();
        using var ca = CertificateAuthority.LoadOrCreate(CaPaths.ForHome(home.Path), TimeProvider.System, out _);
        var dependency = await StartHttpsDependencyAsync(LeafCertificateCache.CreateLeaf(ca, "payments.test", DateTimeOffset.UtcNow));
        var depPort = dependency.Urls.Select(u => new Uri(u).Port).First();
        var recorded = new ConcurrentQueue<Exchange>();
        HttpMessageHandler outbound = new Recorder(recorded) { InnerHandler = DirectHandler(depPort, ca.Certificate) };
        await using var service = await TestKestrel.StartAsync(app => app.MapGet("/pay/{amount}", async (int amount) =>
        {
            using var client = new HttpClient(outbound, disposeHandler: false);
            var created = await client.PostAsJsonAsync("https://payments.test/charges", new { amount, idempotencyKey = Guid.NewGuid() });
            var charge = await created.Content.ReadFromJsonAsync<Dictionary<string, object>>();
            var status = await client.GetStringAsync($"https://payments.test/charges/{charge!["id"]}");
            return Results.Text($"{(int)created.StatusCode} {status}");
        }));
        using var caller = new HttpClient { BaseAddress = service.Address };
        var live = new List<string> { await caller.GetStringAsync("/pay/5", ct), await caller.GetStringAsync("/pay/7", ct) };
        await dependency.StopAsync(ct);
        await dependency.DisposeAsync();

        using var dir = new TempDir();
        var (mock, _) = await MockFixtures.StartAsync(dir, recorded, o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), RepriseHome = home.Path });
        await using (mock)
        {
            outbound = ProxiedHandler(mock.ProxyAddress!, ca.Certificate);
            var mocked = new List<string> { await caller.GetStringAsync("/pay/5", ct), await caller.GetStringAsync("/pay/7", ct) };
            Assert.Equal(live, mocked);
            Assert.StartsWith("201 ", mocked[0], StringComparison.Ordinal);
            Assert.Equal(0, mock.Journal.MissCount);

            using var client = new HttpClient(ProxiedHandler(mock.ProxyAddress!, ca.Certificate));
            var refused = await client.GetAsync("https://unrecorded.test/x", ct);
            Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
            Assert.Contains("not in the recording", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PlainHttpAbsoluteForm_ServedPerHost()
    {
        var ct = TestContext.Current.CancellationToken;
        using var home = new TempDir();
        using var dir = new TempDir();
        var (mock, _) = await MockFixtures.StartAsync(dir, [
            MockFixtures.Get("http://rates.test/eur", """{"rate":1.1}"""),
            MockFixtures.Get("http://other.test/eur", """{"rate":9}"""),
        ], o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), RepriseHome = home.Path });
        await using (mock)
        {
            using var client = new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy(mock.ProxyAddress!), UseProxy = true });
            Assert.Equal("""{"rate":1.1}""", await client.GetStringAsync("http://rates.test/eur", ct));
            Assert.Equal("""{"rate":9}""", await client.GetStringAsync("http://other.test/eur", ct));
            Assert.Equal(HttpStatusCode.BadGateway, (await client.GetAsync("http://nowhere.test/eur", ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Passthrough_UnrecordedHostForwarded_RecordedHostStillMocked()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var real = await TestKestrel.StartAsync(app => app.MapGet("/live", () => Results.Text("from the real host")));
        using var home = new TempDir();
        using var dir = new TempDir();
        var (mock, _) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("http://rates.test/eur", """{"rate":1.1}""")], o => o with
        {
            ProxyListen = new IPEndPoint(IPAddress.Loopback, 0),
            Passthrough = true,
            RepriseHome = home.Path,
        });
        await using (mock)
        {
            using var client = new HttpClient(new SocketsHttpHandler { Proxy = new AlwaysProxy(mock.ProxyAddress!), UseProxy = true });
            Assert.Equal("from the real host", await client.GetStringAsync(new Uri(real.Address, "/live"), ct));
            Assert.Equal("""{"rate":1.1}""", await client.GetStringAsync("http://rates.test/eur", ct));
        }
    }

    private sealed class AlwaysProxy(Uri proxy) : IWebProxy
    {
        public ICredentials? Credentials { get; set; }

        public Uri GetProxy(Uri destination) => proxy;

        public bool IsBypassed(Uri host) => false;
    }

    private static SocketsHttpHandler DirectHandler(int port, X509Certificate2 root) => new()
    {
        // The dependency's "DNS": payments.test resolves to the loopback Kestrel.
        ConnectCallback = async (_, token) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port, token);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, errors) => Trusted(root, cert, errors) },
    };

    internal static SocketsHttpHandler ProxiedHandler(Uri proxy, X509Certificate2 root) => new()
    {
        Proxy = new WebProxy(proxy),
        UseProxy = true,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, errors) => Trusted(root, cert, errors) },
    };

    private static bool Trusted(X509Certificate2 root, X509Certificate? certificate, SslPolicyErrors errors)
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

    internal static async Task<WebApplication> StartHttpsDependencyAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate)));
        var app = builder.Build();
        var next = 0;
        app.MapPost("/charges", async (HttpRequest request) =>
        {
            var body = await request.ReadFromJsonAsync<Dictionary<string, object>>();
            var id = $"ch_{Interlocked.Increment(ref next)}";
            return Results.Json(new { id, amount = body!["amount"].ToString() }, statusCode: 201);
        });
        app.MapGet("/charges/{id}", (string id) => Results.Json(new { id, status = "succeeded" }));
        await app.StartAsync();
        return app;
    }

    /// <summary>Records outbound calls with their absolute https URL (what the capture handler stores).</summary>
    private sealed class Recorder(ConcurrentQueue<Exchange> sink) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var requestBody = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            var responseBody = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var contentType = response.Content.Headers.ContentType?.ToString();
            sink.Enqueue(new Exchange
            {
                Id = Guid.NewGuid().ToString("N"),
                Direction = Direction.Outbound,
                StartedAt = new DateTimeOffset(2026, 1, 1, 0, 0, sink.Count, TimeSpan.Zero),
                Request = new ExchangeRequest
                {
                    Method = request.Method.Method,
                    Url = request.RequestUri!.AbsoluteUri,
                    Headers = request.Content?.Headers.ContentType is { } type ? [new HeaderField("Content-Type", type.ToString())] : [],
                    Body = requestBody is null ? null : ExchangeBody.FromBytes(requestBody, request.Content!.Headers.ContentType?.ToString()),
                },
                Response = new ExchangeResponse
                {
                    Status = (int)response.StatusCode,
                    Headers = contentType is null ? [] : [new HeaderField("Content-Type", contentType)],
                    Body = ExchangeBody.FromBytes(responseBody, contentType),
                },
            });
            return new HttpResponseMessage(response.StatusCode) { Content = new ByteArrayContent(responseBody) { Headers = { ContentType = response.Content.Headers.ContentType } } };
        }
    }
}
