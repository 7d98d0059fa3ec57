using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

public sealed class LocationQueryNumberTests
{
    // Correlator.LearnUrl: "?page=2 and ?sort=name never do" pair, yet PathTemplate.IsVariable("2") is true (all digits),
    // so a redirect's ?page=2 -> ?page=3 teaches "2" -> "3" for the whole session.
    [Fact]
    public async Task PageNumberInALocationQuery_IsNotLearnedAsAnId()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/search", (HttpContext c) =>
            {
                c.Response.Headers.Location = $"http://{c.Request.Host}/results?page=3";
                return HttpResults.StatusCode(303);
            });
            app.MapGet("/users/{id}", (string id) => HttpResults.Ok(new { id }));
        });

        var search = Recorded.Request("POST", "/search", 0, session: "c", status: 303,
            responseHeaders: [new HeaderField("Location", "http://127.0.0.1:6001/results?page=2")]);
        var user = Recorded.Request("GET", "/users/2", 0.1, session: "c", status: 200);
        var results = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([search, user]), results, TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("/users/2", sent[1].PathAndQuery);
    }
}
