using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// RFC 6265 keys a cookie by name, domain and path, and sends a request only the cookies whose path (and domain) it
/// matches, longer paths first. Replay's jar was keyed by name: a second cookie of one name for another path overwrote
/// the first, and a deletion for one path (a logout under <c>/a</c>) dropped the other path's cookie from every request.
/// </summary>
public sealed class CookieScopeTests
{
    private static readonly string Mask = new('*', 26);

    [Fact]
    public async Task ADeletionForOnePath_LeavesTheSameNamedCookieOfAnotherPath()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/b/login", (HttpContext context) => SetCookie(context, "sid=b-session-000000000000000; Path=/b"));
            app.MapPost("/a/login", (HttpContext context) => SetCookie(context, "sid=a-session-000000000000000; Path=/a"));
            app.MapPost("/a/logout", (HttpContext context) => SetCookie(context, "sid=deleted; Path=/a; Max-Age=0"));
            app.MapGet("/a/me", () => HttpResults.Ok());
            app.MapGet("/b/me", () => HttpResults.Ok());
        });
        Exchange[] recorded =
        [
            Masked(Recorded.Request("POST", "/b/login", 0, session: "s", responseHeaders: [new HeaderField("Set-Cookie", $"sid={Mask}; Path=/b")])),
            Masked(Recorded.Request("POST", "/a/login", 0.1, session: "s", responseHeaders: [new HeaderField("Set-Cookie", $"sid={Mask}; Path=/a")])),
            WithCookie(Recorded.Request("GET", "/a/me", 0.2, session: "s"), $"sid={Mask}"),
            Masked(WithCookie(Recorded.Request("POST", "/a/logout", 0.3, session: "s", responseHeaders: [new HeaderField("Set-Cookie", "sid=deleted; Path=/a; Max-Age=0")]), $"sid={Mask}")),
            WithCookie(Recorded.Request("GET", "/b/me", 0.4, session: "s"), $"sid={Mask}"),
        ];

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(recorded), new ListSink(), TestContext.Current.CancellationToken);

        var arrivals = target.Arrivals.ToList();
        Assert.Equal("sid=a-session-000000000000000", arrivals[2].Headers["Cookie"]);
        Assert.Equal("sid=a-session-000000000000000", arrivals[3].Headers["Cookie"]);
        Assert.Equal("sid=b-session-000000000000000", arrivals[4].Headers["Cookie"]);
    }

    /// <summary>
    /// The second case (review 14b): an application configured with its public domain writes <c>Domain=shop.test</c> while
    /// the recording holds the upstream's host, which no such domain matches; the cookie is read as the recorded host's, so
    /// its path still scopes it (it fell to the path-blind "none in scope" fallback: <c>/shopping</c> got <c>/shop</c>'s).
    /// </summary>
    [Theory]
    [InlineData("", "")]
    [InlineData("; Domain=shop.test", "; Domain=.shop.test")]
    public async Task TwoCookiesOfOneName_GoLongerPathFirst_EachOnlyWhereItsPathMatches(string liveDomain, string recordedDomain)
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/login", (HttpContext context) =>
            {
                context.Response.Headers.Append("Set-Cookie", "pref=root-0000000000000000000; Path=/" + liveDomain);
                context.Response.Headers.Append("Set-Cookie", "pref=shop-0000000000000000000; Path=/shop" + liveDomain);
                return HttpResults.Ok();
            });
            app.MapGet("/shop/cart", () => HttpResults.Ok());
            app.MapGet("/shopping", () => HttpResults.Ok());
        });
        Exchange[] recorded =
        [
            Masked(Recorded.Request("POST", "/login", 0, session: "s", responseHeaders:
                [new HeaderField("Set-Cookie", $"pref={Mask}; Path=/{recordedDomain}"), new HeaderField("Set-Cookie", $"pref={Mask}; Path=/shop{recordedDomain}")])),
            WithCookie(Recorded.Request("GET", "/shop/cart", 0.1, session: "s"), $"pref={Mask}; pref={Mask}"),
            WithCookie(Recorded.Request("GET", "/shopping", 0.2, session: "s"), $"pref={Mask}"),
        ];

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(recorded), new ListSink(), TestContext.Current.CancellationToken);

        var arrivals = target.Arrivals.ToList();
        Assert.Equal("pref=shop-0000000000000000000; pref=root-0000000000000000000", arrivals[1].Headers["Cookie"]);
        Assert.Equal("pref=root-0000000000000000000", arrivals[2].Headers["Cookie"]); // "/shop" does not path-match "/shopping"
    }

    private static IResult SetCookie(HttpContext context, string setCookie)
    {
        context.Response.Headers.Append("Set-Cookie", setCookie);
        return HttpResults.Ok();
    }

    private static Exchange Masked(Exchange exchange) =>
        exchange with { Redactions = [new Redaction("response.header:set-cookie", "header-deny", "mask")] };

    private static Exchange WithCookie(Exchange exchange, string cookie) =>
        exchange with { Request = exchange.Request with { Headers = exchange.Request.Headers.Add(new HeaderField("Cookie", cookie)) } };
}
