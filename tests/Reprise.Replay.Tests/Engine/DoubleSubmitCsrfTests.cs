using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 15b (SOGo's Angular UI): the login answers <c>Set-Cookie: XSRF-TOKEN=…</c> and every later call repeats it in
/// <c>X-XSRF-TOKEN</c>. Both are masked in the recording (the cookie's value and the header, on the deny list); replay sent
/// the header's mask and SOGo answered 500 to every call.
/// </summary>
public sealed class DoubleSubmitCsrfTests
{
    private const string Mask = "****************************************";

    [Fact]
    public async Task AMaskedCsrfHeader_GetsTheNewValueOfTheCsrfCookie()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/connect", (HttpContext c) =>
            {
                c.Response.Headers.Append("Set-Cookie", "XSRF-TOKEN=0123456789abcdef0123456789abcdef01234567; path=/");
                return HttpResults.Ok();
            });
            app.MapGet("/so/list", (HttpContext c) => c.Request.Headers["X-XSRF-TOKEN"] == "0123456789abcdef0123456789abcdef01234567" ? HttpResults.Ok() : HttpResults.StatusCode(500));
        });
        var connect = Recorded.Request("POST", "/connect", 0, session: "c", body: "{}", responseHeaders: [new HeaderField("Set-Cookie", "XSRF-TOKEN=" + Mask + "; path=/")])
            with { Redactions = [new Redaction("response.header:set-cookie", "header-deny", "mask")] };
        var list = Recorded.Request("GET", "/so/list", 0.1, session: "c");
        list = list with
        {
            Request = list.Request with { Headers = list.Request.Headers.AddRange(new HeaderField("Cookie", "XSRF-TOKEN=" + Mask), new HeaderField("X-XSRF-TOKEN", Mask)) },
            Redactions = [new Redaction("request.header:x-xsrf-token", "header-deny", "mask"), new Redaction("request.header:cookie", "header-deny", "mask")],
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([connect, list]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", sent[1].Headers["X-XSRF-TOKEN"]);
    }
}
