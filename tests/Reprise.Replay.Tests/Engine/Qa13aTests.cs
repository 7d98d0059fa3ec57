using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 13a (Redmine's REST API recorded with <c>secret: tokenize</c>): <c>GET /users/current.json</c> with a Basic login
/// answers the user's <c>api_key</c>, and the client sends it as <c>X-Redmine-API-Key</c> from then on. Those calls carry no
/// Authorization, so they were a session of their own: they never learned the key the fresh instance issued and sent the
/// recorded token (401), and could run before the login.
/// </summary>
public sealed class Qa13aTests
{
    private const string RecordedKey = "tok_secret_o3hccon7v54izwat";

    [Fact]
    public async Task AnApiKeyAResponseIssued_SentInAnApiKeyHeader_JoinsTheLogin_AndGetsTheNewKey()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/users/current.json", () => HttpResults.Json(new { user = new { id = 1, api_key = "98ba193fef645474a18abce73a9a8aea90965456" } }));
            app.MapGet("/issues.json", (HttpRequest request) =>
                request.Headers["X-Redmine-API-Key"] == "98ba193fef645474a18abce73a9a8aea90965456" ? HttpResults.Json(new { issues = Array.Empty<int>() }) : HttpResults.Unauthorized());
        });
        var login = Recorded.Request("GET", "/users/current.json", 0, responseBody: "{\"user\":{\"id\":1,\"api_key\":\"" + RecordedKey + "\"}}");
        login = login with { Request = login.Request with { Headers = [new HeaderField("Authorization", "Basic tok_secret_qefnuujf5ed6z6gc")] } };
        Exchange Call(double at) => Recorded.Request("GET", "/issues.json", at) is var e
            ? e with { Request = e.Request with { Headers = [new HeaderField("X-Redmine-API-Key", RecordedKey)] } }
            : e;

        var results = new ListSink();
        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([login, Call(0.1), Call(0.2)]), results, TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal(3, sent.Count);
        Assert.Equal("/users/current.json", sent[0].PathAndQuery);
        Assert.All(sent.Skip(1), call => Assert.Equal("98ba193fef645474a18abce73a9a8aea90965456", call.Headers["X-Redmine-API-Key"]));
    }
}
