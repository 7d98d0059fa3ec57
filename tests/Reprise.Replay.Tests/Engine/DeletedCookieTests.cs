using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Correlation;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// A cookie the new build deletes (<c>Max-Age=0</c>, an <c>Expires</c> in the past) where the recorded answer set a value:
/// a browser drops it, so the requests after it leave it out. Replay used to learn the deletion's placeholder
/// (<c>sid=deleted</c>, <c>sid=</c>) as the cookie's new value and send it.
/// </summary>
public sealed class DeletedCookieTests
{
    [Theory]
    [InlineData("sid=deleted; Max-Age=0; Path=/")]
    [InlineData("sid=; expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/")]
    [InlineData("sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT")]
    public async Task ACookieTheNewBuildDeletes_IsLeftOutOfLaterRequests(string deletion)
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/switch", (HttpContext context) =>
            {
                context.Response.Headers.Append("Set-Cookie", deletion);
                return HttpResults.Ok();
            });
            app.MapGet("/a", () => HttpResults.Ok());
            app.MapGet("/b", () => HttpResults.Ok());
        });
        var mask = new string('*', 26);
        var switched = Recorded.Request("POST", "/switch", 0, session: "s", responseHeaders: [new HeaderField("Set-Cookie", $"sid={mask}; Path=/")])
            with { Redactions = [new Redaction("response.header:set-cookie", "header-deny", "mask")] };
        var a = WithCookie(Recorded.Request("GET", "/a", 0.1, session: "s"), $"theme=dark; sid={mask}");
        var b = WithCookie(Recorded.Request("GET", "/b", 0.2, session: "s"), $"sid={mask}");

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([switched, a, b]), new ListSink(), TestContext.Current.CancellationToken);

        var arrivals = target.Arrivals.ToList();
        Assert.Equal("theme=dark", arrivals[1].Headers["Cookie"]);
        Assert.False(arrivals[2].Headers.ContainsKey("Cookie"));
    }

    [Fact]
    public async Task ADeletionTheRecordingMadeToo_AndACookieSetAgain_AreSentAsBefore()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/login", (HttpContext context) =>
            {
                context.Response.Headers.Append("Set-Cookie", "old=; Max-Age=0");
                context.Response.Headers.Append("Set-Cookie", "sid=new-session-0123456789; Max-Age=3600");
                return HttpResults.Ok();
            });
            app.MapGet("/a", () => HttpResults.Ok());
        });
        var mask = new string('*', 26);
        var login = Recorded.Request("POST", "/login", 0, session: "s", responseHeaders:
            [new HeaderField("Set-Cookie", "old=; Max-Age=0"), new HeaderField("Set-Cookie", $"sid={mask}; Max-Age=3600")])
            with { Redactions = [new Redaction("response.header:set-cookie", "header-deny", "mask")] };
        var a = WithCookie(Recorded.Request("GET", "/a", 0.1, session: "s"), $"sid={mask}");

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([login, a]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal("sid=new-session-0123456789", target.Arrivals.ToList()[1].Headers["Cookie"]);
    }

    [Theory]
    [InlineData("a=; Max-Age=0", true)]
    [InlineData("a=; max-age=-1; expires=Fri, 01 Jan 2100 00:00:00 GMT", true)]
    [InlineData("a=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT", false)] // Max-Age wins
    [InlineData("a=1; Expires=Wed, 21 Oct 2099 07:28:00 GMT", false)]
    [InlineData("a=1; Expires=Wed, 25 Nov 2026 07:28:00 GMT", true)] // before the response's Date
    [InlineData("a=1; Max-Age=soon", false)]
    [InlineData("a=1", false)]
    public void CookieDeleted_FollowsRfc6265(string setCookie, bool deleted) =>
        Assert.Equal(deleted, SetCookieAttributes.Read(setCookie).Deletes([new HeaderField("Date", "Fri, 27 Nov 2026 12:00:00 GMT")]));

    private static Exchange WithCookie(Exchange exchange, string cookie) =>
        exchange with { Request = exchange.Request with { Headers = exchange.Request.Headers.Add(new HeaderField("Cookie", cookie)) } };
}
