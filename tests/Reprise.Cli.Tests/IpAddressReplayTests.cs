using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Testing;
using Xunit;

namespace Reprise.Cli.Tests;

/// <summary>
/// QA round 14a: the default policy masked an address as <c>**.**.**.**</c>; replayed, Zabbix refused the host it named
/// ("Invalid IP address") and every call about that host differed. An address is now faked by default (keyed, into
/// 198.18.0.0/15): the replayed request carries a valid address, the app's echo of it is faked alike, and the mock, which
/// redacts each live request with the recording's key, meets the fake of the address the client sends, and only that one.
/// </summary>
public sealed class IpAddressReplayTests
{
    private const string HostIp = "10.20.30.40";
    private const string Neighbour = "10.20.30.41"; // masked, the same "**.**.**.**" as HostIp
    private const string ClientIp = "81.2.69.160";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RedactedRecording_AddressesFaked_ReplayPassesAndMockMatchesOnlyTheSameAddress()
    {
        using var dir = new TempDir();
        var env = RedactionConsistencyTests.Environment(dir);
        var recording = dir.File("hosts.reprise.jsonl");
        await using (var first = await StartHostsAppAsync())
        {
            await RedactionConsistencyTests.RecordAsync(first.Address, recording, env, async (client, proxy) =>
            {
                Assert.Equal(HttpStatusCode.Created, await CreateAsync(client, proxy, HostIp));
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(proxy, "/hosts/by-ip/" + HostIp), Ct)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(proxy, "/whois?client=" + ClientIp), Ct)).StatusCode);
            });
        }

        var text = File.ReadAllText(recording);
        Assert.DoesNotContain(HostIp, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientIp, text, StringComparison.Ordinal);
        Assert.Contains("\"198.1", text, StringComparison.Ordinal);

        // Replay onto a fresh app: the faked address is one, so the host is created and found again as recorded.
        await using (var fresh = await StartHostsAppAsync())
        {
            var test = await RepriseExe.RunAsync(["test", recording, "-t", fresh.Address.ToString(), "--speed", "100", "--markdown", dir.File("test.md")], environment: env);
            Assert.True(test.ExitCode == 0, test.Stdout + test.Stderr + File.ReadAllText(dir.File("test.md")));
            Assert.Empty(fresh.Rejected);
        }

        using var mock = RepriseExe.Start(["mock", recording, "--direction", "inbound", "--listen", "127.0.0.1:0", "--key", "exact"], environment: env);
        try
        {
            var address = await RedactionConsistencyTests.ListeningAsync(mock);
            using var client = new HttpClient();
            Assert.Equal(HttpStatusCode.Created, await CreateAsync(client, address, HostIp));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(address, "/hosts/by-ip/" + HostIp), Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(address, "/whois?client=" + ClientIp), Ct)).StatusCode);

            // Another address of the same shape is another request (a mask made them one).
            Assert.Equal(HttpStatusCode.NotFound, await CreateAsync(client, address, Neighbour));
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri(address, "/hosts/by-ip/" + Neighbour), Ct)).StatusCode);
            var journal = await client.GetStringAsync(new Uri(address, "/_reprise/mock/requests"), Ct);
            Assert.DoesNotContain(HostIp, journal, StringComparison.Ordinal);
            Assert.DoesNotContain(Neighbour, journal, StringComparison.Ordinal);
        }
        finally
        {
            mock.Kill(entireProcessTree: true);
        }
    }

    private static async Task<HttpStatusCode> CreateAsync(HttpClient client, Uri baseAddress, string ip)
    {
        using var body = new StringContent($$"""{"name":"web-1","ip":"{{ip}}"}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(baseAddress, "/hosts"), body, Ct);
        return response.StatusCode;
    }

    /// <summary>A hosts API that validates addresses as a monitoring server does: an invalid one is a 400.</summary>
    private static async Task<HostsApp> StartHostsAppAsync()
    {
        var hosts = new ConcurrentDictionary<string, string>();
        var rejected = new ConcurrentQueue<string>();
        var server = await TestKestrel.StartAsync(a =>
        {
            a.MapPost("/hosts", async (HttpContext context) =>
            {
                using var json = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                var ip = json.RootElement.GetProperty("ip").GetString()!;
                if (!IPAddress.TryParse(ip, out _))
                {
                    rejected.Enqueue(ip);
                    return Results.Json(new { error = "Invalid IP address \"" + ip + "\"" }, statusCode: 400);
                }

                hosts[ip] = json.RootElement.GetProperty("name").GetString()!;
                return Results.Json(new { hostid = "1", ip }, statusCode: 201);
            });
            a.MapGet("/hosts/by-ip/{ip}", (string ip) => hosts.TryGetValue(ip, out var name) ? Results.Json(new { ip, name }) : Results.Json(new { error = "no host" }, statusCode: 404));
            a.MapGet("/whois", (string client) => IPAddress.TryParse(client, out _) ? Results.Json(new { client, owner = "unknown" }) : Results.Json(new { error = "Invalid IP address" }, statusCode: 400));
        });
        return new HostsApp(server, rejected);
    }

    private sealed class HostsApp(TestKestrel server, ConcurrentQueue<string> rejected) : IAsyncDisposable
    {
        public Uri Address => server.Address;

        public IReadOnlyCollection<string> Rejected => rejected;

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
