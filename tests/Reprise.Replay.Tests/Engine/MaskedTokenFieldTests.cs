using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 9 (MediaWiki API with mwclient): <c>meta=tokens</c> answers <c>{"logintoken": …}</c>, <c>{"csrftoken": …}</c>,
/// recorded masked (a secret at its length), and the client sends each back masked under another name: <c>lgtoken</c>,
/// <c>createtoken</c>, <c>token</c> in a form, a multipart field (upload), a JSON member or a query parameter. The replay
/// sent the masks as recorded and every write answered <c>badtoken</c>.
/// </summary>
public sealed class MaskedTokenFieldTests
{
    private const string LoginToken = "5c7f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b+\\";
    private const string CsrfToken = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807+\\";
    private static readonly string Mask = new('*', 42);

    private static Exchange Tokens(double at, string type) =>
        Recorded.Request("GET", "/api.php?action=query&meta=tokens&type=" + type, at, session: "s",
            responseBody: "{\"batchcomplete\":\"\",\"query\":{\"tokens\":{\"" + type + "token\":\"" + Mask + "\"}}}")
        with { Redactions = [new Redaction($"response.body:$.query.tokens.{type}token", "secret", "mask")] };

    private static Exchange Post(double at, string body, string contentType, string path = "/api.php") => Recorded.Post(at, path, body, contentType);

    [Fact]
    public async Task MaskedTokenFields_GetTheLatestTokenOfThatMask_InFormMultipartJsonAndQuery()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/api.php", (HttpContext context) => context.Request.Query["type"] == "login"
                ? HttpResults.Json(new { query = new { tokens = new { logintoken = LoginToken } } })
                : context.Request.Query["type"] == "csrf"
                    ? HttpResults.Json(new { query = new { tokens = new { csrftoken = CsrfToken } } })
                    : HttpResults.Ok());
            app.MapPost("/api.php", () => HttpResults.Ok());
            app.MapPost("/json", () => HttpResults.Ok());
        });
        const string Boundary = "c9588365f1764035119dcd5311747312";
        var multipart = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nupload\r\n"
            + $"--{Boundary}\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{Mask}\r\n"
            + $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--{Boundary}--\r\n";
        var exchanges = new[]
        {
            Tokens(0, "login"),
            Post(0.1, $"lgname=tok_id_rlypdx6qdpftm6ph&lgpassword={Mask}&lgtoken={Mask}&action=login", "application/x-www-form-urlencoded"),
            Tokens(0.2, "csrf"),
            Post(0.3, $"title=Notes&text=hi&action=edit&token={Mask.Replace("*", "%2A", StringComparison.Ordinal)}", "application/x-www-form-urlencoded"),
            Post(0.4, multipart, "multipart/form-data; boundary=" + Boundary),
            Post(0.5, $$"""{"action":"edit","token":"{{Mask}}","note":"{{Mask}}"}""", "application/json", "/json"),
            Recorded.Request("GET", $"/api.php?action=watch&token={Mask}&other={Mask}", 0.6, session: "s"),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        var login = Uri.EscapeDataString(LoginToken);
        var csrf = Uri.EscapeDataString(CsrfToken);
        // The login token after the login token request; a masked password of the same length is no token: it stays.
        Assert.Equal($"lgname=tok_id_rlypdx6qdpftm6ph&lgpassword={Mask}&lgtoken={login}&action=login", sent[1].Body);
        // The csrf token, the latest of that mask, also where the form escaped the stars.
        Assert.Equal($"title=Notes&text=hi&action=edit&token={csrf}", sent[3].Body);
        Assert.Contains($"name=\"token\"\r\n\r\n{CsrfToken}\r\n", sent[4].Body, StringComparison.Ordinal);
        Assert.Contains("hello", sent[4].Body, StringComparison.Ordinal);
        Assert.Equal($$"""{"action":"edit","token":"9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807+\\","note":"{{Mask}}"}""", sent[5].Body);
        Assert.Equal($"/api.php?action=watch&token={csrf}&other={Mask}", sent[6].PathAndQuery);
    }

    [Fact]
    public async Task MaskOfAnotherLength_OrWithoutALearnedToken_IsSentAsRecorded()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/api.php", () => HttpResults.Json(new { query = new { tokens = new { csrftoken = CsrfToken } } }));
            app.MapPost("/api.php", () => HttpResults.Ok());
        });
        var shorter = new string('*', 32);
        var exchanges = new[]
        {
            Post(0, $"action=edit&token={Mask}", "application/x-www-form-urlencoded"),
            Tokens(0.1, "csrf"),
            Post(0.2, $"action=edit&token={shorter}", "application/x-www-form-urlencoded"),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal($"action=edit&token={Mask}", sent[0].Body); // nothing learned yet
        Assert.Equal($"action=edit&token={shorter}", sent[2].Body);
    }
}
