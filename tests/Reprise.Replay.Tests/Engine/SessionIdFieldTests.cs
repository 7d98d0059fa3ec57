using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 13b (Tiny Tiny RSS's JSON API with python-requests): the login answers <c>{"content":{"session_id":"…"}}</c>
/// and every later call sends it back as <c>{"op":"getHeadlines","sid":"…"}</c>, both masked in the recording (a secret
/// at its length; the request's by the carried pass). <c>sid</c> was not read as a token's name, so the replay sent the
/// mask and the fresh instance answered every call NOT_LOGGED_IN (31 of 37). <c>sid</c>, <c>sessid</c> and
/// <c>…_sid</c> are a session id's names; a word that merely contains the letters is not.
/// </summary>
public sealed class SessionIdFieldTests
{
    private const string SessionId = "2unrq1kgvsgd409cveaj97o31i";
    private static readonly string Mask = new('*', SessionId.Length);

    [Fact]
    public async Task AMaskedSid_GetsTheSessionIdTheLoginJustIssued()
    {
        await using var target = await CountingTarget.StartAsync(app => app.MapPost("/api/", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            return body.Contains("\"login\"", StringComparison.Ordinal)
                ? HttpResults.Text("{\"seq\":0,\"status\":0,\"content\":{\"session_id\":\"" + SessionId + "\",\"api_level\":15}}", "text/json;charset=UTF-8")
                : HttpResults.Text("{\"seq\":0,\"status\":0,\"content\":{\"status\":true}}", "text/json;charset=UTF-8");
        }));
        var login = Recorded.Request("POST", "/api/", 0, session: "s", body: "{\"op\": \"login\", \"user\": \"admin\", \"password\": \"***************\"}",
            responseBody: "{\"seq\":0,\"status\":0,\"content\":{\"session_id\":\"" + Mask + "\",\"api_level\":15}}")
            with { Redactions = [new Redaction("request.body:$.password", "password", "mask"), new Redaction("response.body:$.content.session_id", "secret", "mask")] };
        var exchanges = new[]
        {
            login,
            Call(0.1, "{\"op\": \"isLoggedIn\", \"sid\": \"" + Mask + "\"}"),
            Call(0.2, "{\"op\": \"getHeadlines\", \"feed_id\": 1, \"inside\": \"" + Mask + "\", \"sid\": \"" + Mask + "\"}"),
            Call(0.3, "op=getFeeds&ttrss_sid=" + Mask, "application/x-www-form-urlencoded"),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("{\"op\": \"isLoggedIn\", \"sid\": \"" + SessionId + "\"}", sent[1].Body);
        Assert.Equal("{\"op\": \"getHeadlines\", \"feed_id\": 1, \"inside\": \"" + Mask + "\", \"sid\": \"" + SessionId + "\"}", sent[2].Body);
        Assert.Equal("op=getFeeds&ttrss_sid=" + SessionId, sent[3].Body);
    }

    private static Exchange Call(double at, string body, string contentType = "application/json") =>
        Recorded.Post(at, "/api/", body, contentType) with { Redactions = [new Redaction("request.body", "carried:secret", "mask")] };
}
