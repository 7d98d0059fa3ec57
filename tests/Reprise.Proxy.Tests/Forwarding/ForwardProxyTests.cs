using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Reprise.Proxy.Certificates;
using Reprise.Proxy.Forwarding;
using Reprise.Testing;
using Xunit;

namespace Reprise.Proxy.Tests.Forwarding;

/// <summary>Real Kestrel forward-proxy listener; real HttpClient with a proxy; real sockets.</summary>
public sealed class ForwardProxyTests : IAsyncLifetime
{
    private readonly CertificateAuthority _ca = CertificateAuthority.Create(TimeProvider.System.GetUtcNow());
    private X509Certificate2 _publicCa = null!;
    private ProxyServer _proxy = null!;
    private readonly List<TunnelSummary> _tunnels = [];

    public async ValueTask InitializeAsync()
    {
        _publicCa = X509CertificateLoader.LoadCertificate(_ca.Certificate.RawData);
        var options = new ForwardProxyOptions
        {
            Certificates = new LeafCertificateCache(_ca, TimeProvider.System),
            NoInterceptHosts = ["localhost"],
            TunnelClosed = t =>
            {
                lock (_tunnels)
                {
                    _tunnels.Add(t);
                }

                return ValueTask.CompletedTask;
            },
        };
        _proxy = await ProxyServer.StartAsync(options, app =>
        {
            app.MapGet("/_reprise/health", () => "ok");
            app.MapFallback(async context =>
            {
                var target = context.GetProxyTarget(out var mode);
                var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
                await context.Response.WriteAsync(
                    $"{target?.Origin ?? "none"}|{mode}|{context.Request.Scheme}|{context.Request.Protocol}|{context.Request.Method} {context.Request.Path}{context.Request.QueryString}|{body}",
                    context.RequestAborted);
            });
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _publicCa.Dispose();
        _ca.Dispose();
    }

    [Fact]
    public async Task AbsoluteForm_PlainHttp_ReachesAppWithTarget()
    {
        using var client = CaTrust.Client(_proxy.Address, _publicCa);
        var text = await client.GetStringAsync("http://api.example.test:8080/orders?id=7", TestContext.Current.CancellationToken);
        Assert.Equal("http://api.example.test:8080|AbsoluteForm|http|HTTP/1.1|GET /orders?id=7|", text);

        // Second request on the same (kept-alive) connection, with a body.
        using var post = await client.PostAsync("http://other.test/submit", new StringContent("hello"), TestContext.Current.CancellationToken);
        Assert.Equal("http://other.test|AbsoluteForm|http|HTTP/1.1|POST /submit|hello", await post.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OriginForm_RequestToProxyItself_HasNoTarget()
    {
        using var client = new HttpClient();
        var text = await client.GetStringAsync(new Uri(_proxy.Address, "/other"), TestContext.Current.CancellationToken);
        Assert.StartsWith("none|", text, StringComparison.Ordinal);
        Assert.Equal("ok", await client.GetStringAsync(new Uri(_proxy.Address, "/_reprise/health"), TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}/other", "none")]
    [InlineData("http://localhost:{0}/_reprise/other", "none")]
    [InlineData("http://[::1]:{0}/orders", "http://[::1]:{0}")]
    [InlineData("http://127.0.0.2:{0}/orders", "http://127.0.0.2:{0}")]
    [InlineData("http://localhost:{0}/orders", "http://localhost:{0}")]
    public async Task AbsoluteForm_OnlyThisListenersExactEndpointIsTheProxyItself(string urlFormat, string expectedOriginFormat)
    {
        // The proxy listens on 127.0.0.1:PORT; another loopback address on the same port is another server.
        Assert.Equal("127.0.0.1", _proxy.Address.Host);
        var port = _proxy.Address.Port;
        using var client = CaTrust.Client(_proxy.Address, _publicCa);

        var text = await client.GetStringAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, urlFormat, port), TestContext.Current.CancellationToken);

        Assert.StartsWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, expectedOriginFormat, port) + "|", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1, "HTTP/1.1")]
    [InlineData(2, 0, "HTTP/2")]
    public async Task Connect_Intercepted_DecryptedRequestReachesAppOverNegotiatedProtocol(int major, int minor, string expectedProtocol)
    {
        using var client = CaTrust.Client(_proxy.Address, _publicCa);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://secure.example.test/pay?x=1")
        {
            Version = new Version(major, minor),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("card"),
        };
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(new Version(major, minor), response.Version);
        Assert.Equal($"https://secure.example.test|InterceptedTls|https|{expectedProtocol}|POST /pay?x=1|card", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Connect_Intercepted_ManyHostsEachGetTheirOwnLeaf()
    {
        var seen = new List<string>();
        using var client = CaTrust.Client(_proxy.Address, _publicCa, cert =>
        {
            lock (seen)
            {
                seen.Add(new X509Certificate2(cert!).GetNameInfo(X509NameType.DnsName, false));
            }

            return CaTrust.Validates(_publicCa, cert, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors);
        });
        foreach (var host in new[] { "a.example.test", "b.example.test" })
        {
            var text = await client.GetStringAsync($"https://{host}:8443/", TestContext.Current.CancellationToken);
            Assert.StartsWith($"https://{host}:8443|InterceptedTls", text, StringComparison.Ordinal);
        }

        Assert.Equal(["a.example.test", "b.example.test"], seen);
    }

    [Fact]
    public async Task Connect_ClientTrustingAnotherCa_RejectsInterception()
    {
        using var other = CertificateAuthority.Create(TimeProvider.System.GetUtcNow());
        using var client = CaTrust.Client(_proxy.Address, other.Certificate);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("https://secure.example.test/", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Connect_NoInterceptHost_TunnelsBlindlyToRealTlsUpstream()
    {
        using var upstreamCert = SelfSigned("localhost");
        await using var upstream = await TestKestrelTls.StartAsync(upstreamCert);
        using var client = CaTrust.Client(_proxy.Address, null, cert => cert is not null && new X509Certificate2(cert).Thumbprint == upstreamCert.Thumbprint);

        var text = await client.GetStringAsync($"https://localhost:{upstream.Port}/direct", TestContext.Current.CancellationToken);
        Assert.Equal("upstream saw /direct over https", text);
        client.Dispose();
        await WaitForAsync(() => { lock (_tunnels) { return _tunnels.Count > 0; } });
        lock (_tunnels)
        {
            var tunnel = Assert.Single(_tunnels);
            Assert.Equal(new ProxyTarget("https", "localhost", upstream.Port), tunnel.Target);
            Assert.Null(tunnel.Error);
            Assert.True(tunnel.BytesFromClient > 100 && tunnel.BytesFromTarget > 100);
        }
    }

    [Fact]
    public async Task Connect_NoInterceptHostDown_Answers502AndReportsError()
    {
        using var closed = ClosedPort.Reserve(); // refuses on 127.0.0.1 and ::1, whichever localhost resolves to
        var port = closed.Port;
        var response = await RawAsync($"CONNECT localhost:{port} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 502 Bad Gateway", response, StringComparison.Ordinal);
        Assert.Contains($"cannot connect to localhost:{port}", response, StringComparison.Ordinal);
        lock (_tunnels)
        {
            Assert.NotNull(Assert.Single(_tunnels).Error);
        }
    }

    [Theory]
    [InlineData("CONNECT nohostport HTTP/1.1\r\n\r\n", "host:port")]
    [InlineData("CONNECT a b c d\r\n\r\n", "malformed")]
    public async Task Connect_Malformed_Answers400(string head, string reason)
    {
        var response = await RawAsync(head);
        Assert.StartsWith("HTTP/1.1 400 Bad Request", response, StringComparison.Ordinal);
        Assert.Contains(reason, response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_PlainHttpInsideTunnel_ReachesAppAsHttp()
    {
        var response = await RawAsync("CONNECT ws.example.test:80 HTTP/1.1\r\nHost: ws.example.test:80\r\n\r\nGET /chat HTTP/1.1\r\nHost: ws.example.test\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 200 OK", response, StringComparison.Ordinal);
        Assert.Contains("http://ws.example.test|PlainTunnel|http|HTTP/1.1|GET /chat|", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_HeadArrivingByteByByte_IsParsed()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, _proxy.Address.Port, TestContext.Current.CancellationToken);
        foreach (var b in Encoding.ASCII.GetBytes("CONNECT slow.test:80 HTTP/1.1\r\n\r\n"))
        {
            await socket.SendAsync(new[] { b }, TestContext.Current.CancellationToken);
            await Task.Delay(2, TestContext.Current.CancellationToken);
        }

        await socket.SendAsync("GET /x HTTP/1.1\r\nHost: slow.test\r\nConnection: close\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        var response = await ReadAllAsync(socket);
        Assert.Contains("http://slow.test|PlainTunnel|http|HTTP/1.1|GET /x|", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_ServerSpeaksFirst_RelayedBlindlyAfterTheSniffWindow()
    {
        // An SMTP-like server greets first; the client says nothing until it has read the banner.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var peer = await listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
            await peer.SendAsync("220 mail.test ESMTP ready\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
            var buffer = new byte[256];
            var read = await peer.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
            await peer.SendAsync(Encoding.ASCII.GetBytes("221 bye after " + Encoding.ASCII.GetString(buffer, 0, read).Trim() + "\r\n"), TestContext.Current.CancellationToken);
            peer.Shutdown(SocketShutdown.Both);
        });

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _proxy.Address.Port, TestContext.Current.CancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"CONNECT 127.0.0.1:{port} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"), TestContext.Current.CancellationToken);
        var greeting = await ReadUntilAsync(socket, "ready\r\n");
        Assert.Equal("HTTP/1.1 200 Connection established\r\n\r\n220 mail.test ESMTP ready\r\n", greeting);

        await socket.SendAsync("QUIT\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        Assert.Equal("221 bye after QUIT\r\n", await ReadAllAsync(socket));
        await server;
    }

    [Fact]
    public async Task Connect_TextProtocolStartingWithAWord_RelayedBlindlyNotAnsweredAsHttp()
    {
        // IRC: "NICK ann" looks like a method and a target, but no HTTP version ends the line.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var peer = await listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
            var buffer = new byte[256];
            var read = await peer.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
            await peer.SendAsync(Encoding.ASCII.GetBytes("echo: " + Encoding.ASCII.GetString(buffer, 0, read)), TestContext.Current.CancellationToken);
            peer.Shutdown(SocketShutdown.Both);
        });

        var response = await RawAsync($"CONNECT 127.0.0.1:{port} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\nNICK ann\r\n");

        Assert.Equal("HTTP/1.1 200 Connection established\r\n\r\necho: NICK ann\r\n", response);
        await server;
    }

    private static async Task<string> ReadUntilAsync(Socket socket, string end)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        var buffer = new byte[4096];
        var text = new StringBuilder();
        while (!text.ToString().EndsWith(end, StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, cts.Token);
            Assert.True(read > 0, "connection closed before: " + end);
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    private async Task<string> RawAsync(string request)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _proxy.Address.Port, TestContext.Current.CancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
        return await ReadAllAsync(socket);
    }

    private static async Task<string> ReadAllAsync(Socket socket)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        var buffer = new byte[64 * 1024];
        var total = new MemoryStream();
        int read;
        while ((read = await socket.ReceiveAsync(buffer, cts.Token)) > 0)
        {
            total.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(total.ToArray());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(30) && !condition();)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static X509Certificate2 SelfSigned(string host)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new CertificateRequest("CN=" + host, key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>A TLS upstream (its own self-signed certificate) to tunnel to.</summary>
    private sealed class TestKestrelTls(WebApplication app, int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public static async Task<TestKestrelTls> StartAsync(X509Certificate2 certificate)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
            {
                o.Protocols = HttpProtocols.Http1AndHttp2;
                o.UseHttps(certificate);
            }));
            var app = builder.Build();
            app.Run(c => c.Response.WriteAsync($"upstream saw {c.Request.Path} over {c.Request.Scheme}"));
            await app.StartAsync();
            var address = new Uri(app.Urls.First());
            return new TestKestrelTls(app, address.Port);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
