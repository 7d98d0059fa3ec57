using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Reprise.Testing;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>Under concurrency, every forwarded exchange reaches the file exactly once.</summary>
public sealed class NoLossTests
{
    [Fact]
    public async Task FiftyThousandRequests_64Connections_ExactlyFiftyThousandOnDisk()
    {
        const int total = 50_000;
        const int connections = 64;
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await TestKestrel.StartAsync(app => app.MapGet("/n/{i}", (int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = connections }) { Timeout = TimeSpan.FromSeconds(30) };
        var next = -1;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(300)); // bounded; usually well under a minute, but CI shares 2 loaded cores
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var body = await client.GetStringAsync(recorder.Url("/n/" + i), deadline.Token);
                if (body != i.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }, deadline.Token)).ToArray();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;

        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal(0, failures);
        Assert.Equal(total, exchanges.Count);
        Assert.Equal(total, exchanges.Select(e => e.Request.Url).Distinct().Count());
        Assert.Equal(total, exchanges.Select(e => e.Id).Distinct().Count());
        TestContext.Current.SendDiagnosticMessage($"{total} requests in {elapsed.TotalSeconds:0.0}s ({total / elapsed.TotalSeconds:0} rps)");
    }
}
