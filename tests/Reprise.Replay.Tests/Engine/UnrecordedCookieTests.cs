using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 12b (Django admin): a wrong password was recorded before the right one; with a value rule both are sent with
/// the right one, so the fresh instance logged in at the first POST (setting <c>sessionid</c>), where the recorded answer
/// set no cookie. The jar only paired cookies the recorded answer had set too, so every later admin page carried the
/// recorded mask, <c>sessionid=****</c>, and was redirected to the login page (19 of 24 admin requests).
/// </summary>
public sealed class UnrecordedCookieTests
{
    private static readonly string Mask = new('*', 32);

    private static Exchange WithCookie(Exchange exchange, string cookie) =>
        exchange with { Request = exchange.Request with { Headers = exchange.Request.Headers.Add(new HeaderField("Cookie", cookie)) } };

    [Fact]
    public async Task ACookieTheTargetSetWhereTheRecordingSetNone_ReachesLaterRequestsOfThatName()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/login", (HttpContext context) =>
            {
                context.Response.Headers.SetCookie = "sessionid=fresh-session-42; Path=/; HttpOnly";
                return HttpResults.Ok();
            });
            app.MapGet("/admin", () => HttpResults.Ok());
        });
        var exchanges = new[]
        {
            Recorded.Post(0, "/login", "username=a&password=" + Mask, "application/x-www-form-urlencoded"),
            WithCookie(Recorded.Request("GET", "/admin", 0.1, session: "s"), $"csrftoken=abc; sessionid={Mask}"),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("csrftoken=abc; sessionid=fresh-session-42", sent[1].Headers["Cookie"]);
    }

    [Fact]
    public async Task ACookieBothAnswersSet_IsStillPairedByItsRecordedValue()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/start", (HttpContext context) =>
            {
                context.Response.Headers.SetCookie = "sid=new-1; Path=/";
                return HttpResults.Ok();
            });
            app.MapGet("/next", () => HttpResults.Ok());
        });
        var start = Recorded.Request("GET", "/start", 0, session: "s", responseHeaders: ImmutableArray.Create(new HeaderField("Content-Type", "application/json"), new HeaderField("Set-Cookie", "sid=old-1; Path=/")));
        var exchanges = new[] { start, WithCookie(Recorded.Request("GET", "/next", 0.1, session: "s"), "sid=old-1; theme=dark") };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal("sid=new-1; theme=dark", target.Arrivals.ToList()[1].Headers["Cookie"]);
    }
}
