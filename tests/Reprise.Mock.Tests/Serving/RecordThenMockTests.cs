using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;
using Reprise.Capture.Hosting;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Proxy.Certificates;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>
/// The whole dependency story with the real pieces: a Kestrel service's outbound HTTPS calls go
/// through <c>record</c>'s forward proxy (TLS intercepted with the Reprise CA) to a real HTTPS
/// dependency; the dependency stops; the same service, now pointed at <c>mock --proxy-listen</c>
/// serving that recording, gets the same answers.
/// </summary>
public sealed class RecordThenMockTests
{
    [Fact]
    public async Task Service_RecordedThroughForwardProxy_ThenMocked_SameResponses()
    {
        var ct = TestContext.Current.CancellationToken;
        using var home = new TempDir();
        using var dir = new TempDir();
        using var ca = CertificateAuthority.LoadOrCreate(CaPaths.ForHome(home.Path), TimeProvider.System, out _);
        var dependency = await ProxyModeTests.StartHttpsDependencyAsync(LeafCertificateCache.CreateLeaf(ca, "localhost", DateTimeOffset.UtcNow));
        var dependencyUrl = $"https://localhost:{dependency.Urls.Select(u => new Uri(u).Port).First()}";
        var recording = dir.File("deps.reprise.jsonl");

        var recorder = await RecordServer.StartAsync(
            new RecordServerOptions
            {
                OutputPath = recording,
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                ProxyListen = new IPEndPoint(IPAddress.Loopback, 0),
                Authority = ca,
                UpstreamRoots = [ca.Certificate], // the dependency's certificate is signed by the same test CA
            },
            NoRedaction.Instance,
            NullLoggerFactory.Instance,
            ct);
        HttpMessageHandler outbound = ProxyModeTests.ProxiedHandler(recorder.ProxyAddress!, ca.Certificate);
        await using var service = await TestKestrel.StartAsync(app => app.MapGet("/pay/{amount}", async (int amount) =>
        {
            using var client = new HttpClient(outbound, disposeHandler: false);
            var created = await client.PostAsJsonAsync(dependencyUrl + "/charges", new { amount });
            var charge = await created.Content.ReadFromJsonAsync<Dictionary<string, object>>();
            var status = await client.GetStringAsync($"{dependencyUrl}/charges/{charge!["id"]}");
            return $"{(int)created.StatusCode} {status}";
        }));
        using var caller = new HttpClient { BaseAddress = service.Address };
        var live = new List<string> { await caller.GetStringAsync("/pay/5", ct), await caller.GetStringAsync("/pay/7", ct) };
        await recorder.DisposeAsync();
        await dependency.StopAsync(ct);
        await dependency.DisposeAsync();

        var recorded = await Exchanges.ReadAllAsync(recording);
        Assert.Equal(4, recorded.Count(e => e.Direction == Direction.Outbound));

        var (mock, _) = await MockFixtures.StartAsync(dir, recorded, o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), RepriseHome = home.Path });
        await using (mock)
        {
            outbound = ProxyModeTests.ProxiedHandler(mock.ProxyAddress!, ca.Certificate);
            var mocked = new List<string> { await caller.GetStringAsync("/pay/5", ct), await caller.GetStringAsync("/pay/7", ct) };
            Assert.Equal(live, mocked);
            Assert.StartsWith("201 ", mocked[0], StringComparison.Ordinal);
            Assert.Equal(0, mock.Journal.MissCount);
        }
    }

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);
    private static readonly Method<byte[], byte[]> SayHello = new(MethodType.Unary, "greet.Greeter", "SayHello", Bytes, Bytes);

    [Fact]
    public async Task GrpcOverTls_RecordedThroughForwardProxy_ThenMocked_SameReplyAndStatus()
    {
        var ct = TestContext.Current.CancellationToken;
        using var home = new TempDir();
        using var dir = new TempDir();
        using var ca = CertificateAuthority.LoadOrCreate(CaPaths.ForHome(home.Path), TimeProvider.System, out _);
        var dependency = await StartGrpcDependencyAsync(LeafCertificateCache.CreateLeaf(ca, "localhost", DateTimeOffset.UtcNow));
        var address = $"https://localhost:{dependency.Urls.Select(u => new Uri(u).Port).First()}";
        var recording = dir.File("grpc.reprise.jsonl");
        var recorder = await RecordServer.StartAsync(
            new RecordServerOptions
            {
                OutputPath = recording,
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                ProxyListen = new IPEndPoint(IPAddress.Loopback, 0),
                Authority = ca,
                UpstreamRoots = [ca.Certificate],
            },
            NoRedaction.Instance,
            NullLoggerFactory.Instance,
            ct);

        async Task<(byte[] Reply, StatusCode Status)> CallAsync(Uri proxy, string name)
        {
            // An HttpClient (not a bare SocketsHttpHandler) keeps Grpc.Net.Client off its subchannel balancer, which ignores proxies.
            using var http = new HttpClient(ProxyModeTests.ProxiedHandler(proxy, ca.Certificate)) { DefaultRequestVersion = HttpVersion.Version20 };
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpClient = http });
            var call = channel.CreateCallInvoker().AsyncUnaryCall(SayHello, null, new CallOptions(cancellationToken: ct), System.Text.Encoding.UTF8.GetBytes(name));
            var reply = await call;
            return (reply, call.GetStatus().StatusCode);
        }

        var live = await CallAsync(recorder.ProxyAddress!, "ada");
        await recorder.DisposeAsync();
        await dependency.StopAsync(ct);
        await dependency.DisposeAsync();
        Assert.Equal("hi ada", System.Text.Encoding.UTF8.GetString(live.Reply));

        var recorded = await Exchanges.ReadAllAsync(recording);
        var grpc = Assert.Single(recorded, e => e.Direction == Direction.Outbound);
        Assert.Equal(Protocol.Grpc, grpc.Protocol);
        Assert.Equal("0", grpc.Response!.Trailers.Get("grpc-status"));

        var (mock, _) = await MockFixtures.StartAsync(dir, recorded, o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), RepriseHome = home.Path });
        await using (mock)
        {
            var mocked = await CallAsync(mock.ProxyAddress!, "ada");
            Assert.Equal(live.Reply, mocked.Reply);
            Assert.Equal(StatusCode.OK, mocked.Status);
            Assert.Equal(0, mock.Journal.MissCount);
        }
    }

    /// <summary>A gRPC "Greeter" on the wire format itself (length-prefixed messages, grpc-status trailer), over TLS with ALPN h2.</summary>
    private static async Task<WebApplication> StartGrpcDependencyAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
        {
            o.Protocols = HttpProtocols.Http2;
            o.UseHttps(certificate);
        }));
        var app = builder.Build();
        app.MapPost("/greet.Greeter/SayHello", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var name = System.Text.Encoding.UTF8.GetString(body.ToArray().AsSpan(5));
            var reply = System.Text.Encoding.UTF8.GetBytes("hi " + name);
            var frame = new byte[5 + reply.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)reply.Length);
            reply.CopyTo(frame, 5);
            context.Response.ContentType = "application/grpc";
            context.Response.DeclareTrailer("grpc-status");
            await context.Response.Body.WriteAsync(frame);
            context.Response.AppendTrailer("grpc-status", "0");
        });
        await app.StartAsync();
        return app;
    }
}
