using System.Text;
using Reprise.Core.Analysis;
using Reprise.Core.Har;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Har;

/// <summary>
/// Some exporters write <c>time: -1</c> for an entry whose duration they do not know (Playwright on an unstable network,
/// entries served from a cache). Such an entry is not a 0 ms request: its time comes from the phase timings when they
/// say it, otherwise it is marked unknown and left out of latency statistics.
/// </summary>
public sealed class HarUnknownTimeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Entry(string url, string time, string timings) => $$"""
        {"startedDateTime":"2024-03-01T10:00:00.000Z","time":{{time}},
         "request":{"method":"GET","url":"{{url}}","httpVersion":"HTTP/1.1","headers":[],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},
         "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[],"cookies":[],"content":{"size":2,"mimeType":"application/json","text":"{}"},"redirectURL":"","headersSize":-1,"bodySize":2},
         "cache":{},"timings":{{timings}}}
        """;

    private async Task<List<Exchange>> ReadAsync(params string[] entries)
    {
        var path = _dir.File("in.har");
        var har = """{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[""" + string.Join(",", entries) + "]}}";
        await File.WriteAllTextAsync(path, har, Encoding.UTF8, Ct);
        return await new HarReader(path).ReadAsync(Ct).ToListAsync(Ct);
    }

    [Fact]
    public async Task TimeMinusOne_NoPhaseTimings_IsUnknown_NotZero()
    {
        var exchange = Assert.Single(await ReadAsync(Entry("http://a.test/x", "-1", """{"blocked":-1,"dns":-1,"connect":-1,"send":0,"wait":-1,"receive":0}""")));

        Assert.Equal("har", exchange.Tags[WellKnownTags.DurationUnknown]);
        Assert.Equal(TimeSpan.Zero, exchange.Duration);
    }

    [Fact]
    public async Task TimeMinusOne_WithPhaseTimings_IsTheirSum()
    {
        var exchange = Assert.Single(await ReadAsync(Entry("http://a.test/x", "-1", """{"blocked":-1,"dns":2,"connect":10,"ssl":8,"send":0.5,"wait":40,"receive":1.5}""")));

        Assert.False(exchange.Tags.ContainsKey(WellKnownTags.DurationUnknown));
        Assert.Equal(TimeSpan.FromMilliseconds(54), exchange.Duration); // ssl is inside connect
    }

    [Theory]
    [InlineData("25.5", 25.5)]
    [InlineData("0", 0)] // a cache hit: known to be instant
    public async Task KnownTime_IsKept(string time, double ms)
    {
        var exchange = Assert.Single(await ReadAsync(Entry("http://a.test/x", time, """{"send":0,"wait":-1,"receive":0}""")));

        Assert.False(exchange.Tags.ContainsKey(WellKnownTags.DurationUnknown));
        Assert.Equal(TimeSpan.FromMilliseconds(ms), exchange.Duration);
    }

    [Fact]
    public async Task Inspect_LeavesUnknownTimesOutOfLatency()
    {
        var exchanges = await ReadAsync(
            Entry("http://a.test/orders", "100", "{}"),
            Entry("http://a.test/orders", "-1", "{}"),
            Entry("http://a.test/orders", "-1", "{}"),
            Entry("http://a.test/health", "-1", "{}"));

        var report = await new InspectSink().ConsumeAsync(exchanges.ToAsyncEnumerable(), Ct);

        var orders = report.Endpoints.Single(e => e.Template == "/orders");
        Assert.Equal(3, orders.Count);
        Assert.InRange(orders.P50Ms, 99.9, 100.1); // not 0: the two unknown entries are not 0 ms requests
        var health = report.Endpoints.Single(e => e.Template == "/health");
        Assert.True(double.IsNaN(health.P50Ms) && double.IsNaN(health.MaxMs), "no known time: no latency figure");
    }
}
