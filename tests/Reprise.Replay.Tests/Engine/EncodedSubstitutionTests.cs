using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 9 (MediaWiki API, recorded with secrets tokenized): the login and CSRF tokens MediaWiki issues end in
/// <c>+\</c>, and replay put the new token into the form body as raw text, so the <c>+</c> arrived as a space and every
/// write answered <c>badtoken</c>. A substituted value is written the way the body writes text: encoded in a form, escaped
/// in a JSON string or XML; a recorded value a form had escaped (<c>%40</c>) is found too.
/// </summary>
public sealed class EncodedSubstitutionTests
{
    private const string NewToken = "d1472bb879ef01eec1a3dd9d4cbd907c6b08e1d0+\\";
    private const string Recorded = "tok_secret_zmrz5q7owmmpzbav";

    private static Exchange TokenResponse() =>
        Support.Recorded.Request("GET", "/api.php?meta=tokens", 0, session: "s", responseBody: "{\"query\":{\"tokens\":{\"csrftoken\":\"" + Recorded + "\"}}}")
        with { Redactions = [new Redaction("response.body:$.query.tokens.csrftoken", "secret", "tokenize")] };

    private static Exchange Post(double at, string path, string body, string contentType) => Support.Recorded.Post(at, path, body, contentType);

    [Fact]
    public async Task NewValue_IsEncodedInAForm_EscapedInJsonAndXml()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/api.php", () => HttpResults.Json(new { query = new { tokens = new { csrftoken = NewToken } } }));
            app.MapPost("/{any}", () => HttpResults.Ok());
        });
        var exchanges = new[]
        {
            TokenResponse(),
            Post(0.1, "/form", $"title=Notes+on+it&token={Recorded}&summary=by+{Recorded}", "application/x-www-form-urlencoded"),
            Post(0.2, "/json", $$"""{"token":"{{Recorded}}","n":1}""", "application/json"),
            Post(0.3, "/xml", $"<edit><token>{Recorded}</token></edit>", "application/xml"),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Support.Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToDictionary(a => a.PathAndQuery, a => a.Body);
        var encoded = Uri.EscapeDataString(NewToken);
        Assert.Equal($"title=Notes+on+it&token={encoded}&summary={Uri.EscapeDataString("by " + NewToken)}", sent["/form"]);
        Assert.Equal($$"""{"token":"d1472bb879ef01eec1a3dd9d4cbd907c6b08e1d0+\\","n":1}""", sent["/json"]);
        System.Text.Json.JsonDocument.Parse(sent["/json"]).Dispose();
        Assert.Equal($"<edit><token>{NewToken}</token></edit>", sent["/xml"]);
    }

    [Fact]
    public async Task ARecordedValueTheFormEscaped_IsFoundAndReplaced()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/users", () => HttpResults.Json(new { id = "2026:c2f0a8e4" }, statusCode: 201));
            app.MapPost("/invite", () => HttpResults.Ok());
        });
        var create = Post(0, "/users", "{}", "application/json") with
        {
            Response = new ExchangeResponse { Status = 201, Headers = [new HeaderField("Content-Type", "application/json")], Body = ExchangeBody.FromText("""{"id":"2026:a1b2c3d4"}""", "application/json") },
        };
        var invite = Post(0.1, "/invite", "to=ops%40example.test&user=2026%3Aa1b2c3d4&note=hello+world", "application/x-www-form-urlencoded");

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Support.Recorded.Stream([create, invite]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal("to=ops%40example.test&user=2026%3Ac2f0a8e4&note=hello+world", target.Arrivals.Last().Body);
    }
}
