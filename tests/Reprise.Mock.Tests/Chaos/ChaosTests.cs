using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reprise.Mock.Chaos;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Chaos;

public sealed class ChaosTests
{
    [Fact]
    public async Task ErrorRate_SameSeed_SameFaultSequence()
    {
        var first = await StatusesAsync(42);
        var second = await StatusesAsync(42);
        var other = await StatusesAsync(43);
        Assert.Equal(first, second);
        Assert.Contains(503, first);
        Assert.Contains(200, first);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Count(s => s == 503), 4, 20); // 30% of 40, loosely
    }

    [Fact]
    public async Task RateLimit_ExceededThenRefilled_429WithRetryAfter()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/x")], o => o with { Time = time, Chaos = new ChaosOptions { RateLimit = "2/s" } });
        await using (server)
        {
            var ct = TestContext.Current.CancellationToken;
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/x", ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/x", ct)).StatusCode);
            var limited = await client.GetAsync("/x", ct);
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter!.Delta);
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/x", ct)).StatusCode);
        }
    }

    [Fact]
    public async Task ResetRate_One_AbortsConnection()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/x")], o => o with { Chaos = new ChaosOptions { ResetRate = 1 } });
        await using (server)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/x", TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task TimeoutRate_One_HoldsUntilClientGivesUp()
    {
        // The hold waits on the mock's clock: a fake one that never moves holds the request for as long as the test
        // likes. The client gives up only once the journal shows the hold has begun, so a cold server on a loaded
        // machine cannot have the client give up first (a 3 s client timeout could, and then no entry was written).
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/x")], o => o with { Time = time, Chaos = new ChaosOptions { TimeoutRate = 1 } });
        await using (server)
        {
            using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var pending = client.GetAsync("/x", giveUp.Token);
            Assert.True(SpinWait.SpinUntil(() => server.Journal.Recent().Count > 0 || pending.IsCompleted, TimeSpan.FromSeconds(30)), "the request never reached the mock");
            Assert.False(pending.IsCompleted, "the request was answered instead of held");
            Assert.Equal("timeout", Assert.Single(server.Journal.Recent()).Chaos);
            await Task.Delay(200, TestContext.Current.CancellationToken);
            Assert.False(pending.IsCompleted, "the request was answered instead of held");
            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        }
    }

    [Fact]
    public async Task FixedLatency_WaitsOnInjectedClock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/x")], o => o with { Time = time, Chaos = new ChaosOptions { Latency = "fixed:5s" } });
        await using (server)
        {
            var pending = client.GetAsync("/x", TestContext.Current.CancellationToken);
            await Task.Delay(300, TestContext.Current.CancellationToken);
            Assert.False(pending.IsCompleted);
            var deadline = DateTime.UtcNow.AddSeconds(30); // generous: a loaded machine may take a while to answer
            while (!pending.IsCompleted && DateTime.UtcNow < deadline)
            {
                time.Advance(TimeSpan.FromSeconds(5));
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }

            Assert.Equal(HttpStatusCode.OK, (await pending).StatusCode);
        }
    }

    [Theory]
    [InlineData("recorded", LatencyMode.Recorded, 0)]
    [InlineData("none", LatencyMode.None, 0)]
    [InlineData("fixed:50ms", LatencyMode.Fixed, 50)]
    [InlineData("fixed:1.5s", LatencyMode.Fixed, 1500)]
    public void ParseLatency_Valid(string text, LatencyMode mode, int ms)
    {
        Assert.True(ChaosParsing.TryParseLatency(text, out var parsed, out var duration));
        Assert.Equal(mode, parsed);
        Assert.Equal(TimeSpan.FromMilliseconds(ms), duration);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("fixed:")]
    [InlineData("fixed:-1ms")]
    [InlineData("fixed:10")]
    public void ParseLatency_Invalid(string text) => Assert.False(ChaosParsing.TryParseLatency(text, out _, out _));

    [Theory]
    [InlineData("100/s", 100)]
    [InlineData("60/m", 1)]
    [InlineData("0/s", -1)]
    [InlineData("5/d", -1)]
    [InlineData("x/s", -1)]
    public void ParseRateLimit(string text, double expected)
    {
        var ok = ChaosParsing.TryParseRateLimit(text, out var perSecond);
        Assert.Equal(expected > 0, ok);
        if (ok)
        {
            Assert.Equal(expected, perSecond, 6);
        }
    }

    private static async Task<List<int>> StatusesAsync(ulong seed)
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/x")], o => o with { Seed = seed, Chaos = new ChaosOptions { ErrorRate = 0.3, ErrorStatus = 503 } });
        await using (server)
        {
            var statuses = new List<int>();
            for (var i = 0; i < 40; i++)
            {
                statuses.Add((int)(await client.GetAsync("/x", TestContext.Current.CancellationToken)).StatusCode);
            }

            return statuses;
        }
    }
}
