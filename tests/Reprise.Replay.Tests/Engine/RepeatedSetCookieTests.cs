using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 12a (Roundcube 1.6): the login answers <c>Set-Cookie: roundcube_sessauth=-del-; expires=…1970</c>, then the new
/// session id, then <c>roundcube_sessauth=&lt;value&gt;</c>: PHP deletes the cookie and sets it again, and a browser keeps
/// the last. Every recorded occurrence was paired with the new response's first one, so the replay sent
/// <c>roundcube_sessauth=-del-</c> and every call after the login answered "Your session is invalid or expired".
/// </summary>
public sealed class RepeatedSetCookieTests
{
    [Fact]
    public async Task ACookieSetTwiceInOneResponse_IsSentBackWithItsLastValue()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/login", (HttpContext context) =>
            {
                context.Response.Headers.Append("Set-Cookie", "auth=-del-; expires=Thu, 01 Jan 1970 00:00:01 GMT; path=/");
                context.Response.Headers.Append("Set-Cookie", "sid=new-session-0123456789; path=/");
                context.Response.Headers.Append("Set-Cookie", "auth=new-auth-abcdefghijkl; path=/");
                return HttpResults.Ok();
            });
            app.MapGet("/inbox", () => HttpResults.Ok());
        });
        var mask = new string('*', 22);
        var login = Recorded.Request("POST", "/login", 0, session: "s", responseHeaders:
        [
            new HeaderField("Set-Cookie", "auth=-del-; expires=Thu, 01 Jan 1970 00:00:01 GMT; path=/"),
            new HeaderField("Set-Cookie", "sid=**************************; path=/"),
            new HeaderField("Set-Cookie", $"auth={mask}; path=/"),
        ]) with { Redactions = [new Redaction("response.header:set-cookie", "header-deny", "mask")] };
        var inbox = Recorded.Request("GET", "/inbox", 0.1, session: "s") is var e
            ? e with { Request = e.Request with { Headers = e.Request.Headers.Add(new HeaderField("Cookie", $"sid=**************************; auth={mask}")) } }
            : null!;

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([login, inbox]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal("sid=new-session-0123456789; auth=new-auth-abcdefghijkl", target.Arrivals.ToList()[1].Headers["Cookie"]);
    }
}
