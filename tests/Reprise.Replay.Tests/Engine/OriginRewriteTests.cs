using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 4 (a browser HAR of an Express app with a same-origin check, as SvelteKit and Rails do): replay sends
/// the target's Host, so a same-origin request's Origin and Referer must name the target too, or the app rejects
/// every replayed POST as cross-origin. Cross-origin values and --preserve-host keep what was recorded.
/// </summary>
public sealed class OriginRewriteTests
{
    private static Exchange WithHeaders(Exchange exchange, params HeaderField[] headers) =>
        exchange with { Request = exchange.Request with { Headers = exchange.Request.Headers.AddRange(headers) } };

    private static async Task<List<Arrival>> ReplayAsync(bool preserveHost)
    {
        await using var target = await CountingTarget.StartAsync(app => app.MapPost("/api/{name}", () => HttpResults.Ok()));
        // As recorded by the reverse proxy: the URL names the upstream, Host the address the browser used.
        var same = WithHeaders(Recorded.Request("POST", "/api/same", 0, session: "s", body: "{}"),
            new HeaderField("Host", "shop.test:8443"), new HeaderField("Origin", "https://shop.test:8443"), new HeaderField("Referer", "https://shop.test:8443/app?tab=1"));
        var upstream = WithHeaders(Recorded.Request("POST", "/api/upstream", 0.05, session: "s", body: "{}"),
            new HeaderField("Origin", "http://recorded.example"), new HeaderField("Referer", "http://recorded.example/app"));
        var cross = WithHeaders(Recorded.Request("POST", "/api/cross", 0.1, session: "s", body: "{}"),
            new HeaderField("Host", "shop.test:8443"), new HeaderField("Origin", "https://partner.example"), new HeaderField("Referer", "https://partner.example/shop.test:8443/"));

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, PreserveHost = preserveHost }, Recorded.Stream([same, upstream, cross]), new ListSink(), TestContext.Current.CancellationToken);
        return [.. target.Arrivals];
    }

    [Fact]
    public async Task SameOriginOriginAndReferer_NameTheTarget_CrossOriginOnesStay()
    {
        var arrivals = await ReplayAsync(preserveHost: false);

        var origin = arrivals[0].Headers["Host"];
        Assert.Equal("/api/same", arrivals[0].PathAndQuery);
        Assert.Equal("http://" + origin, arrivals[0].Headers["Origin"]);
        Assert.Equal("http://" + origin + "/app?tab=1", arrivals[0].Headers["Referer"]);
        Assert.Equal("http://" + origin, arrivals[1].Headers["Origin"]);
        Assert.Equal("http://" + origin + "/app", arrivals[1].Headers["Referer"]);
        Assert.Equal("https://partner.example", arrivals[2].Headers["Origin"]);
        Assert.Equal("https://partner.example/shop.test:8443/", arrivals[2].Headers["Referer"]);
    }

    [Fact]
    public async Task PreserveHost_KeepsTheRecordedOrigin()
    {
        var arrivals = await ReplayAsync(preserveHost: true);

        Assert.Equal("shop.test:8443", arrivals[0].Headers["Host"]);
        Assert.Equal("https://shop.test:8443", arrivals[0].Headers["Origin"]);
        Assert.Equal("https://shop.test:8443/app?tab=1", arrivals[0].Headers["Referer"]);
    }
}
