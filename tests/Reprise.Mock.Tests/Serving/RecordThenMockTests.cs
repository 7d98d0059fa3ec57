using System.Net;
using System.Net.Http.Json;
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
}
