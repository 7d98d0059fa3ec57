using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// kiwix-serve's <c>GET /random</c> redirects to an article of its choosing (QA round 15b). Its recorded Location
/// (<c>/fieldguide/Alpine_Meadows.html</c>) and the new one (<c>/fieldguide/index.html</c>) were paired like an issued id:
/// the later request for Alpine_Meadows.html went to index.html, and diff reported the wrong page.
/// </summary>
public sealed class RedirectToANamedPageTests
{
    [Fact]
    public async Task AGetsRedirectToANamedPage_IsNoIssuedValue_LaterRequestsKeepTheirPaths()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/random", (HttpContext c) =>
            {
                c.Response.Headers.Location = "/fieldguide/index.html";
                return HttpResults.StatusCode(302);
            });
            app.MapGet("/fieldguide/{page}", (string page) => HttpResults.Text(page));
        });

        var random = Recorded.Request("GET", "/random", 0, session: "c", status: 302,
            responseHeaders: [new HeaderField("Location", "/fieldguide/Alpine_Meadows.html")]);
        var page = Recorded.Request("GET", "/fieldguide/Alpine_Meadows.html", 0.1, session: "c", status: 200);
        var results = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([random, page]), results, TestContext.Current.CancellationToken);

        Assert.Equal("/fieldguide/Alpine_Meadows.html", target.Arrivals.ToList()[1].PathAndQuery);
    }

    [Fact]
    public async Task APostsRedirectToWhatItCreated_IsStillLearned()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/posts", (HttpContext c) =>
            {
                c.Response.Headers.Location = "/posts/hello-world-2";
                return HttpResults.StatusCode(303);
            });
            app.MapGet("/posts/{slug}", (string slug) => HttpResults.Text(slug));
        });

        var create = Recorded.Request("POST", "/posts", 0, session: "c", body: "{}", status: 303,
            responseHeaders: [new HeaderField("Location", "/posts/hello-world")]);
        var read = Recorded.Request("GET", "/posts/hello-world", 0.1, session: "c", status: 200);
        var results = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([create, read]), results, TestContext.Current.CancellationToken);

        Assert.Equal("/posts/hello-world-2", target.Arrivals.ToList()[1].PathAndQuery);
    }
}
