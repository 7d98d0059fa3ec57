using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 6 (FastAPI, python-requests): a client revalidates what it read with <c>If-None-Match</c> (the ETag it was
/// given). The target's ETag differs from the recording's (the resource holds a new id and timestamp), so the recorded
/// one made the target answer 200 where the recording had 304, and <c>test</c> failed an unchanged build. An ETag is an
/// issued value like a Location.
/// </summary>
public sealed class ConditionalRequestCorrelationTests
{
    [Fact]
    public async Task IfNoneMatch_CarriesTheETagTheTargetIssued_SoTheRevalidationIsAnsweredAsRecorded()
    {
        var etag = "\"" + Guid.NewGuid().ToString("N") + "\"";
        await using var target = await CountingTarget.StartAsync(app => app.MapGet("/items/7", (HttpContext context) =>
        {
            context.Response.Headers.ETag = etag;
            return context.Request.Headers.IfNoneMatch.ToString() == etag ? HttpResults.StatusCode(304) : HttpResults.Json(new { id = 7 });
        }));
        var read = Recorded.Request("GET", "/items/7", 0, session: "c", responseBody: """{"id":7}""",
            responseHeaders: [new HeaderField("Content-Type", "application/json"), new HeaderField("ETag", "\"3f2a9c0d1e\"")]);
        var revalidate = Recorded.Request("GET", "/items/7", 0.1, session: "c", status: 304, responseHeaders: [new HeaderField("ETag", "\"3f2a9c0d1e\"")]);
        revalidate = revalidate with { Request = revalidate.Request with { Headers = revalidate.Request.Headers.Add(new HeaderField("If-None-Match", "\"3f2a9c0d1e\"")) } };
        var results = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([read, revalidate]), results, TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal(etag, sent[1].Headers["If-None-Match"]);
        Assert.Equal([200, 304], results.Results.OrderBy(e => e.StartedAt).Select(e => e.Response!.Status));
    }

    [Fact]
    public async Task IfMatch_OnAConditionalUpdate_CarriesTheTargetsWeakETag()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/docs/1", (HttpContext context) =>
            {
                context.Response.Headers.ETag = "W/\"v42\"";
                return HttpResults.Json(new { id = 1 });
            });
            app.MapPut("/docs/1", () => HttpResults.Json(new { id = 1 }));
        });
        ImmutableArray<HeaderField> validators = [new HeaderField("Content-Type", "application/json"), new HeaderField("ETag", "W/\"v1\"")];
        var read = Recorded.Request("GET", "/docs/1", 0, session: "c", responseBody: """{"id":1}""", responseHeaders: validators);
        var update = Recorded.Request("PUT", "/docs/1", 0.1, session: "c", body: """{"id":1}""", responseBody: """{"id":1}""");
        update = update with
        {
            Request = update.Request with
            {
                Headers = update.Request.Headers.Add(new HeaderField("If-Match", "W/\"v1\"")),
            },
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([read, update]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("W/\"v42\"", sent[1].Headers["If-Match"]);
    }

    [Fact]
    public async Task AnEntityTagAnApiReturnsInItsBody_IsCarriedIntoIfMatch()
    {
        // Review: an API without an ETag header returns its version in the body ({"etag":"…"}) and the client sends
        // it back as If-Match: only ETag headers were consulted, so the recorded tag went out and the target said 412.
        var current = Guid.NewGuid().ToString();
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/docs", () => HttpResults.Json(new { id = 1, etag = current }));
            app.MapPut("/docs/1", (HttpContext context) => context.Request.Headers.IfMatch.ToString() == "\"" + current + "\"" ? HttpResults.Ok() : HttpResults.StatusCode(412));
        });
        const string RecordedTag = "3f2a9c0d-1e4b-4f6a-9b7c-2d8e5f1a0b3c";
        var create = Recorded.Request("POST", "/docs", 0, session: "c", body: "{}", responseBody: $$"""{"id":1,"etag":"{{RecordedTag}}"}""",
            responseHeaders: [new HeaderField("Content-Type", "application/json")]);
        var update = Recorded.Request("PUT", "/docs/1", 0.1, session: "c", body: "{}");
        update = update with { Request = update.Request with { Headers = update.Request.Headers.Add(new HeaderField("If-Match", "\"" + RecordedTag + "\"")) } };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([create, update]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal("\"" + current + "\"", target.Arrivals.ToList()[1].Headers["If-Match"]);
    }

    [Fact]
    public async Task AnETagTheTargetDidNotChange_LeavesTheRequestAsRecorded()
    {
        await using var target = await CountingTarget.StartAsync(app => app.MapGet("/static", (HttpContext context) =>
        {
            context.Response.Headers.ETag = "\"same\"";
            return context.Request.Headers.IfNoneMatch.ToString() == "\"same\"" ? HttpResults.StatusCode(304) : HttpResults.Text("x");
        }));
        var read = Recorded.Request("GET", "/static", 0, session: "c", responseBody: "x", responseHeaders: [new HeaderField("ETag", "\"same\"")]);
        var revalidate = Recorded.Request("GET", "/static", 0.1, session: "c", status: 304);
        revalidate = revalidate with { Request = revalidate.Request with { Headers = revalidate.Request.Headers.Add(new HeaderField("If-None-Match", "\"same\"")) } };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([read, revalidate]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal("\"same\"", target.Arrivals.ToList()[1].Headers["If-None-Match"]);
    }

    [Fact]
    public async Task ALearnedETag_GoesOnlyIntoConditionalHeaders_NeverIntoABody()
    {
        // Review: the ETag pair went into the values substituted as whole tokens anywhere: with "1" recorded and "2"
        // issued, a later order body {"qty":"1"} was sent as {"qty":"2"}.
        await using var target = await CountingTarget.StartAsync(app => app.MapGet("/items/7", (HttpContext context) =>
        {
            context.Response.Headers.ETag = "\"2\"";
            return context.Request.Headers.IfNoneMatch.ToString() == "\"2\"" ? HttpResults.StatusCode(304) : HttpResults.Json(new { id = 7 });
        }));
        var read = Recorded.Request("GET", "/items/7", 0, session: "c", responseBody: """{"id":7}""",
            responseHeaders: [new HeaderField("Content-Type", "application/json"), new HeaderField("ETag", "\"1\"")]);
        var order = Recorded.Request("POST", "/orders", 0.1, session: "c", body: """{"item":7,"qty":"1"}""", responseBody: """{"ok":true}""");
        order = order with { Request = order.Request with { Headers = order.Request.Headers.Add(new HeaderField("X-Client-Version", "\"1\"")) } };
        var revalidate = Recorded.Request("GET", "/items/7", 0.2, session: "c", status: 304, responseHeaders: [new HeaderField("ETag", "\"1\"")]);
        revalidate = revalidate with { Request = revalidate.Request with { Headers = revalidate.Request.Headers.Add(new HeaderField("If-None-Match", "W/\"0\", \"1\"")) } };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([read, order, revalidate]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal(3, sent.Count);
        Assert.Equal("""{"item":7,"qty":"1"}""", sent[1].Body);
        Assert.Equal("\"1\"", sent[1].Headers["X-Client-Version"]);
        Assert.Equal("W/\"0\", \"2\"", sent[2].Headers["If-None-Match"]);
    }

    /// <summary>
    /// QA round 15b (kiwix-serve): an ETag holding a nanosecond clock (<c>"1795800551790465937/cz"</c>) read as a time by
    /// <c>--time-shift</c>: the If-None-Match went out shifted, the target's new ETag never replaced it, 304 became 200.
    /// </summary>
    [Fact]
    public async Task IfNoneMatch_HoldingAClockLikeEntityTag_IsNotTimeShifted_AndGetsTheTargetsETag()
    {
        const string recordedTag = "\"1767268800123456789/cz\"";
        const string newTag = "\"1767300000987654321/cz\"";
        await using var target = await CountingTarget.StartAsync(app => app.MapGet("/fieldguide/Contact.html", (HttpContext context) =>
        {
            context.Response.Headers.ETag = newTag;
            return context.Request.Headers.IfNoneMatch.ToString() == newTag ? HttpResults.StatusCode(304) : HttpResults.Text("<h1>Contact</h1>", "text/html");
        }));
        var read = Recorded.Request("GET", "/fieldguide/Contact.html", 0, session: "c", responseBody: "<h1>Contact</h1>", responseHeaders: [new HeaderField("ETag", recordedTag)]);
        var revalidate = Recorded.Request("GET", "/fieldguide/Contact.html", 0.1, session: "c", status: 304, responseHeaders: [new HeaderField("ETag", recordedTag)]);
        revalidate = revalidate with { Request = revalidate.Request with { Headers = revalidate.Request.Headers.Add(new HeaderField("If-None-Match", recordedTag)) } };
        var results = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, TimeShift = true }, Recorded.Stream([read, revalidate]), results, TestContext.Current.CancellationToken);

        Assert.Equal(newTag, target.Arrivals.ToList()[1].Headers["If-None-Match"]);
    }
}
