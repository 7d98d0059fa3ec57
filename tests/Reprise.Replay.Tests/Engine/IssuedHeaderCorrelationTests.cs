using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 10b (MiniDLNA, a UPnP control point): a GENA <c>SUBSCRIBE</c> is answered with <c>SID: uuid:…</c>, and the
/// renewal and the <c>UNSUBSCRIBE</c> send that id back in their own <c>SID</c> header. Only token-named response
/// headers were learned, so replay sent the recorded subscription id and a fresh server answered 412 to both.
/// </summary>
public sealed class IssuedHeaderCorrelationTests
{
    [Fact]
    public async Task AnIdNamedResponseHeader_SentBackInALaterRequestHeader_CarriesTheIdTheTargetIssued()
    {
        var issued = "uuid:" + Guid.NewGuid();
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapMethods("/evt/ContentDir", ["SUBSCRIBE"], (HttpContext context) =>
            {
                if (context.Request.Headers.ContainsKey("SID"))
                {
                    return context.Request.Headers["SID"].ToString() == issued ? HttpResults.Ok() : HttpResults.StatusCode(412);
                }

                context.Response.Headers["SID"] = issued;
                return HttpResults.Ok();
            });
            app.MapMethods("/evt/ContentDir", ["UNSUBSCRIBE"], (HttpContext context) =>
                context.Request.Headers["SID"].ToString() == issued ? HttpResults.Ok() : HttpResults.StatusCode(412));
        });
        const string RecordedSid = "uuid:966fa5e7-ea22-11f1-b6a8-6a1cc74ad19e";
        var subscribe = Recorded.Request("SUBSCRIBE", "/evt/ContentDir", 0, session: "c", responseHeaders: [new HeaderField("SID", RecordedSid), new HeaderField("TIMEOUT", "Second-300")]);
        var renew = Recorded.Request("SUBSCRIBE", "/evt/ContentDir", 0.1, session: "c", responseHeaders: [new HeaderField("SID", RecordedSid)]);
        renew = renew with { Request = renew.Request with { Headers = renew.Request.Headers.Add(new HeaderField("SID", RecordedSid)) } };
        var unsubscribe = Recorded.Request("UNSUBSCRIBE", "/evt/ContentDir", 0.2, session: "c");
        unsubscribe = unsubscribe with { Request = unsubscribe.Request with { Headers = unsubscribe.Request.Headers.Add(new HeaderField("SID", RecordedSid)) } };
        var results = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([subscribe, renew, unsubscribe]), results, TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal(3, sent.Count);
        Assert.Equal(issued, sent[1].Headers["SID"]);
        Assert.Equal(issued, sent[2].Headers["SID"]);
        Assert.Equal([200, 200, 200], results.Results.OrderBy(e => e.StartedAt).Select(e => e.Response!.Status));
    }

    [Fact]
    public async Task AnIdNamedResponseHeader_IsNotSentWhereTheRecordedRequestDidNotHoldIt()
    {
        // A request id the server stamps on every answer is learned too, but only replaces the recorded value where a
        // later request held it: a request without it goes out as recorded.
        await using var target = await CountingTarget.StartAsync(app => app.MapGet("/items", (HttpContext context) =>
        {
            context.Response.Headers["X-Request-Id"] = Guid.NewGuid().ToString();
            return HttpResults.Json(new { n = 1 });
        }));
        var first = Recorded.Request("GET", "/items", 0, session: "c", responseBody: """{"n":1}""", responseHeaders: [new HeaderField("X-Request-Id", "6a1c2b3d-0000-4000-8000-000000000001")]);
        var second = Recorded.Request("GET", "/items", 0.1, session: "c", responseBody: """{"n":1}""");

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([first, second]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal(2, sent.Count);
        Assert.False(sent[1].Headers.ContainsKey("X-Request-Id"));
    }
}
