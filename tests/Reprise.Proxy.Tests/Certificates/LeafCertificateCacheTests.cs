using Microsoft.Extensions.Time.Testing;
using Reprise.Proxy.Certificates;
using Xunit;

namespace Reprise.Proxy.Tests.Certificates;

public sealed class LeafCertificateCacheTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Get_SameHostAnyCase_GeneratesOnce()
    {
        using var ca = CertificateAuthority.Create(Clock.GetUtcNow());
        var cache = new LeafCertificateCache(ca, Clock);
        var a = cache.Get("API.example.test");
        var b = cache.Get("api.example.test.");
        Assert.Same(a, b);
        Assert.Equal(1, cache.Generated);
        Assert.True(a.TargetCertificate.MatchesHostname("api.example.test"));
        Assert.Equal(Clock.GetUtcNow().AddDays(-1).UtcDateTime, a.TargetCertificate.NotBefore.ToUniversalTime());
    }

    [Fact]
    public void Get_PastCapacity_EvictsLeastRecentlyUsed()
    {
        using var ca = CertificateAuthority.Create(Clock.GetUtcNow());
        var cache = new LeafCertificateCache(ca, Clock, capacity: 2);
        var a = cache.Get("a.test");
        cache.Get("b.test");
        Assert.Same(a, cache.Get("a.test")); // a is now most recent
        cache.Get("c.test"); // evicts b
        Assert.Equal(2, cache.Count);
        Assert.Same(a, cache.Get("a.test"));
        Assert.Equal(3, cache.Generated);
        cache.Get("b.test");
        Assert.Equal(4, cache.Generated);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task Get_ConcurrentFirstUse_GeneratesOncePerHost()
    {
        using var ca = CertificateAuthority.Create(Clock.GetUtcNow());
        var cache = new LeafCertificateCache(ca, Clock);
        var tasks = Enumerable.Range(0, 32).Select(i => Task.Run(() => cache.Get(i % 2 == 0 ? "even.test" : "odd.test"), TestContext.Current.CancellationToken)).ToArray();
        var results = await Task.WhenAll(tasks);
        Assert.Equal(2, cache.Generated);
        Assert.Equal(2, results.Distinct().Count());
    }
}
