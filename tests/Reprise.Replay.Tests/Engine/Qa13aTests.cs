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

    /// <summary>
    /// Recorded with <c>secret: tokenize</c>, Redmine's login page holds <c>&lt;meta name="csrf-token" content="tok_secret_…"&gt;</c>
    /// and the login posts the same token as <c>authenticity_token</c> (rails-ujs copies it). Replay learned the page's new
    /// token but looked it up for masks (<c>****</c>) only: the login posted the recorded token and answered 422.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ATokenizedCsrfTokenFromThePage_IsSentInTheFormField(bool multipart)
    {
        const string Fresh = "XXheDoriTfguXMVfOOvRR0ke1nKU8/hx+AuSYRtV5gb1+jcfRlSqYFeEzIuTMPNg8Nqs6T0CpAKsTpPm0//ofg==";
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/login", () => HttpResults.Content($"<html><head><meta name=\"csrf-param\" content=\"authenticity_token\" /><meta name=\"csrf-token\" content=\"{Fresh}\" /></head></html>", "text/html"));
            app.MapPost("/login", () => HttpResults.Ok());
        });
        var page = Recorded.Request("GET", "/login", 0, session: "s");
        page = page with
        {
            Response = page.Response! with
            {
                Headers = [new HeaderField("Content-Type", "text/html; charset=utf-8")],
                Body = ExchangeBody.FromText("<html><head><meta name=\"csrf-param\" content=\"authenticity_token\" /><meta name=\"csrf-token\" content=\"tok_secret_4tuijev3k2mcekza\" /></head></html>", "text/html; charset=utf-8"),
            },
        };
        const string Part = "------B\r\nContent-Disposition: form-data; name=\"authenticity_token\"\r\n\r\n{0}\r\n------B\r\nContent-Disposition: form-data; name=\"issue[notes]\"\r\n\r\nCalled back\r\n------B--\r\n";
        var login = multipart
            ? Recorded.Post(0.1, "/login", Part.Replace("{0}", "tok_secret_4tuijev3k2mcekza", StringComparison.Ordinal), "multipart/form-data; boundary=----B")
            : Recorded.Post(0.1, "/login", "utf8=%E2%9C%93&authenticity_token=tok_secret_4tuijev3k2mcekza&username=admin", "application/x-www-form-urlencoded");

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([page, login]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal(multipart ? Part.Replace("{0}", Fresh, StringComparison.Ordinal) : "utf8=%E2%9C%93&authenticity_token=" + Uri.EscapeDataString(Fresh) + "&username=admin", sent[1].Body);
    }
}
