using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reprise.Capture.Hosting;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>
/// A dependency listening on <c>[::1]</c> is recorded through <c>record</c>'s forward proxy; the mock
/// serves that recording through its own proxy listener and applies a route rule written with the
/// host in the forms people use (<c>::1</c>, <c>[::1]:PORT</c>).
/// </summary>
public sealed class Ipv6UpstreamTests
{
    [Theory]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("[::1]:{port}")]
    public async Task RecordedIpv6Upstream_MockedThroughProxy_RuleMatchedByHost(string ruleHost)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await StartIpv6UpstreamAsync();
        var port = new Uri(upstream.Urls.First()).Port;
        var origin = $"http://[::1]:{port}";
        using var home = new TempDir();
        using var dir = new TempDir();
        var recording = dir.File("v6.reprise.jsonl");
        var recorder = await RecordServer.StartAsync(
            new RecordServerOptions { OutputPath = recording, Listen = new IPEndPoint(IPAddress.Loopback, 0), ProxyListen = new IPEndPoint(IPAddress.Loopback, 0) },
            NoRedaction.Instance,
            NullLoggerFactory.Instance,
            ct);
        await using (recorder)
        {
            using var client = ProxiedClient(recorder.ProxyAddress!);
            Assert.Equal("""{"id":"1","name":"ada"}""", await client.GetStringAsync(origin + "/users/1", ct));
        }

        var recorded = await Exchanges.ReadAllAsync(recording);
        var exchange = Assert.Single(recorded, e => e.Direction == Direction.Outbound);
        Assert.Equal(origin + "/users/1", exchange.Request.Url);

        var config = dir.File("mock.yaml");
        var host = ruleHost.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await File.WriteAllTextAsync(config, $$$"""
            routes:
              - host: "{{{host}}}"
                path: /users/*
                set:
                  $.id: "{{request.path[1]}}"
            """, ct);
        await upstream.StopAsync(ct);
        var (mock, direct) = await MockFixtures.StartAsync(dir, recorded, o => o with { ProxyListen = new IPEndPoint(IPAddress.Loopback, 0), RepriseHome = home.Path, ConfigPath = config });
        await using (mock)
        {
            using (direct)
            using (var client = ProxiedClient(mock.ProxyAddress!))
            {
                Assert.Equal("7", JsonDocument.Parse(await client.GetStringAsync(origin + "/users/7", ct)).RootElement.GetProperty("id").GetString());
                Assert.Equal("ada", JsonDocument.Parse(await client.GetStringAsync($"http://[0:0:0:0:0:0:0:1]:{port}/users/8", ct)).RootElement.GetProperty("name").GetString());
                Assert.Equal("9", JsonDocument.Parse(await direct.GetStringAsync("/users/9", ct)).RootElement.GetProperty("id").GetString());
                Assert.Equal(HttpStatusCode.BadGateway, (await client.GetAsync($"http://[::1]:{port + 1}/users/7", ct)).StatusCode);
            }

            Assert.Equal(0, mock.Journal.MissCount);
        }
    }

    private static HttpClient ProxiedClient(Uri proxy) => new(new SocketsHttpHandler { Proxy = new AlwaysProxy(proxy), UseProxy = true });

    private static async Task<WebApplication> StartIpv6UpstreamAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.IPv6Loopback, 0));
        var app = builder.Build();
        app.MapGet("/users/{id}", (string id) => Results.Text($$"""{"id":"{{id}}","name":"ada"}""", "application/json"));
        await app.StartAsync();
        return app;
    }

    private sealed class AlwaysProxy(Uri proxy) : IWebProxy
    {
        public ICredentials? Credentials { get; set; }

        public Uri GetProxy(Uri destination) => proxy;

        public bool IsBypassed(Uri host) => false;
    }
}
