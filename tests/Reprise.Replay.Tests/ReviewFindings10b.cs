using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests;

/// <summary>
/// Review of QA round 10 (77701a0..327b9ee): since 3fb6d84 every response header named like an id is learned as a value
/// the server issued. A header that names the server rather than an issued id (<c>X-Node-Id: 1</c> recorded, node 2
/// answering the replay) paired 1 with 2, and every later request's path segment 1 followed it: <c>GET /orders/1</c>
/// went out as <c>/orders/2</c>, another record. Failed on 327b9ee.
/// </summary>
public sealed class ReviewFindings10b
{
    [Fact]
    public async Task AShortServerNumberInAnIdNamedHeader_DoesNotRepointLaterPaths()
    {
        await using var target = await CountingTarget.StartAsync(app => app.Run(async context =>
        {
            context.Response.Headers["X-Node-Id"] = "2";
            await HttpResults.Json(new { ok = true }).ExecuteAsync(context);
        }));
        var status = Recorded.Request("GET", "/status", 0, session: "c", responseBody: """{"ok":true}""", responseHeaders: [new HeaderField("X-Node-Id", "1")]);
        var order = Recorded.Request("GET", "/orders/1", 0.1, session: "c", responseBody: """{"ok":true}""", responseHeaders: [new HeaderField("X-Node-Id", "1")]);
        var shard = Recorded.Request("GET", "/orders?orderId=1", 0.2, session: "c", responseBody: """{"ok":true}""");

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([status, order, shard]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.OrderBy(a => a.Timestamp).Select(a => a.PathAndQuery).ToList();
        Assert.Equal(["/status", "/orders/1", "/orders?orderId=1"], sent);
    }
}
