using CsCheck;
using Reprise.Core.Model;
using Reprise.Core.Transforms;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Transforms;

public sealed class TransformTests
{
    [Theory]
    [InlineData("/orders/*", "/orders/42", true)]
    [InlineData("/orders/*", "/orders/42/items", false)]
    [InlineData("/api/**", "/api/a/b/c", true)]
    [InlineData("/api/**", "/apix", false)]
    [InlineData("/v?/users", "/v2/users", true)]
    [InlineData("/a.b", "/aXb", false)]
    public void PathGlob_Matches(string glob, string path, bool expected) =>
        Assert.Equal(expected, PathGlob.Parse(glob).IsMatch(path));

    [Theory]
    [InlineData("2xx", 204, true)]
    [InlineData("2xx", 404, false)]
    [InlineData("404,5xx", 503, true)]
    [InlineData("500-502", 502, true)]
    [InlineData("500-502", 503, false)]
    [InlineData("error", null, true)]
    [InlineData("2xx", null, false)]
    public void StatusMatcher_Matches(string text, int? status, bool expected) =>
        Assert.Equal(expected, StatusMatcher.TryParse(text, out _)!.IsMatch(status));

    [Theory]
    [InlineData("7xx")]
    [InlineData("abc")]
    [InlineData("600-500")]
    [InlineData("")]
    public void StatusMatcher_Invalid_ReturnsError(string text)
    {
        Assert.Null(StatusMatcher.TryParse(text, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public async Task Filter_AllCriteria_MustHold()
    {
        var filter = new FilterTransform(new ExchangeFilterOptions
        {
            Methods = ["GET"],
            Paths = [PathGlob.Parse("/api/**")],
            ExcludePaths = [PathGlob.Parse("/api/health")],
            Hosts = ["*.shop.test"],
            Status = StatusMatcher.TryParse("2xx", out _),
            Direction = Direction.Inbound,
        });
        Exchange[] input =
        [
            Exchanges.Get("http://eu.shop.test/api/orders/1", id: "keep"),
            Exchanges.Get("http://eu.shop.test/api/health", id: "excluded"),
            Exchanges.Get("http://other.test/api/orders/1", id: "host"),
            Exchanges.Get("http://eu.shop.test/api/orders/1", status: 500, id: "status"),
            Exchanges.Send("POST", "http://eu.shop.test/api/orders", "{}", id: "method"),
            Exchanges.Get("http://eu.shop.test/api/orders/1", id: "outbound") with { Direction = Direction.Outbound },
        ];

        var kept = await filter.TransformAsync(input.ToAsyncEnumerable(), TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["keep"], kept.Select(e => e.Id));
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("[::1]:8080")]
    [InlineData("API.test")]
    [InlineData("api.test:443")]
    public async Task Filter_Host_WrittenAsHostOrAuthority_Matches(string pattern)
    {
        var expected = pattern.Contains(':', StringComparison.Ordinal) && !pattern.StartsWith("api", StringComparison.Ordinal) ? "v6" : "name";
        var filter = new FilterTransform(new ExchangeFilterOptions { Hosts = [pattern] });
        Exchange[] input =
        [
            Exchanges.Get("http://[::1]:8080/a", id: "v6"),
            Exchanges.Get("https://api.test/a", id: "name"),
            Exchanges.Get("http://other.test/a", id: "other"),
        ];

        var kept = await filter.TransformAsync(input.ToAsyncEnumerable(), TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal([expected], kept.Select(e => e.Id));
    }

    [Fact]
    public void Sample_SameSeed_KeepsSameExchangesAndRoughlyTheRate()
    {
        Gen.Int[0, 1000].Sample(seed =>
        {
            var exchanges = Enumerable.Range(0, 4000).Select(i => Exchanges.Get("http://a.test/", id: $"id-{i}")).ToList();
            var a = new SampleTransform(0.25, (ulong)seed);
            var b = new SampleTransform(0.25, (ulong)seed);
            var keptA = exchanges.Where(a.Keeps).Select(e => e.Id).ToList();
            Assert.Equal(keptA, exchanges.Where(b.Keeps).Select(e => e.Id));
            Assert.InRange(keptA.Count, 850, 1150);
        }, iter: 20);
    }

    [Fact]
    public void Sample_KeepsWholeTraces()
    {
        var sample = new SampleTransform(0.5, 3);
        for (var t = 0; t < 200; t++)
        {
            var inbound = Exchanges.Get("http://a.test/", id: $"in-{t}") with { TraceId = $"trace-{t}" };
            var outbound = Exchanges.Get("http://dep.test/", id: $"out-{t}") with { TraceId = $"trace-{t}", Direction = Direction.Outbound };
            Assert.Equal(sample.Keeps(inbound), sample.Keeps(outbound));
        }
    }
}
