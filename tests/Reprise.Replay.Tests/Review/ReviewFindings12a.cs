using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Review;

/// <summary>
/// Review of QA round 12a's 7129bf6: a cookie set more than once in one response is paired occurrence by occurrence. When
/// the recording set it once and the new response deletes and resets it (PHP's <c>session_regenerate_id</c> on a login
/// whose browser already held the cookie), the recorded occurrence paired with the new first one, the deletion marker,
/// and the replay sent <c>auth=-del-</c>. The value a browser keeps is the last: the last recorded occurrence pairs with
/// the new last one.
/// </summary>
public sealed class ReviewFindings12a
{
    private static async Task<string> CookieAfterLogin(string[] recordedSetCookies, string[] newSetCookies, string cookie)
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/login", (HttpContext context) =>
            {
                foreach (var setCookie in newSetCookies)
                {
                    context.Response.Headers.Append("Set-Cookie", setCookie);
                }

                return HttpResults.Ok();
            });
            app.MapGet("/inbox", () => HttpResults.Ok());
        });
        var login = Recorded.Request("POST", "/login", 0, session: "s", responseHeaders: [.. recordedSetCookies.Select(v => new HeaderField("Set-Cookie", v))])
            with { Redactions = [new Redaction("response.header:set-cookie", "header-deny", "mask")] };
        var inbox = Recorded.Request("GET", "/inbox", 0.1, session: "s") is var e
            ? e with { Request = e.Request with { Headers = e.Request.Headers.Add(new HeaderField("Cookie", cookie)) } }
            : null!;

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([login, inbox]), new ListSink(), TestContext.Current.CancellationToken);
        return target.Arrivals.ToList()[1].Headers["Cookie"].ToString();
    }

    [Fact]
    public async Task ACookieTheRecordingSetOnce_AndTheNewResponseDeletesAndResets_IsSentWithItsLastValue()
    {
        var mask = new string('*', 22);

        var sent = await CookieAfterLogin(
            [$"auth={mask}; path=/"],
            ["auth=-del-; expires=Thu, 01 Jan 1970 00:00:01 GMT; path=/", "auth=new-auth-abcdefghijkl; path=/"],
            $"auth={mask}");

        Assert.Equal("auth=new-auth-abcdefghijkl", sent);
    }

    [Fact]
    public async Task ACookieTheRecordingDeletedAndReset_AndTheNewResponseSetsOnce_IsSentWithThatValue()
    {
        var mask = new string('*', 22);

        var sent = await CookieAfterLogin(
            ["auth=-del-; expires=Thu, 01 Jan 1970 00:00:01 GMT; path=/", $"auth={mask}; path=/"],
            ["auth=new-auth-abcdefghijkl; path=/"],
            $"auth={mask}");

        Assert.Equal("auth=new-auth-abcdefghijkl", sent);
    }
}
