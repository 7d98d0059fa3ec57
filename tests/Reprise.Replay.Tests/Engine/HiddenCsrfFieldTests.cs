using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 12b (Django admin): the login page sets <c>csrftoken</c> (a cookie) and renders
/// <c>&lt;input type="hidden" name="csrfmiddlewaretoken" value="…"&gt;</c>, both 64 characters, both masked in the
/// recording to the same 64 stars. The form posts the field back. Replayed against a fresh instance, every admin POST
/// answered 403 "CSRF token missing or incorrect": the form field was sent as the recorded mask.
/// </summary>
public sealed class HiddenCsrfFieldTests
{
    private const string Cookie = "Pq0cTvW6pN4yXe1Lr8kZ2bH7sJ3mF5aD9gU0oQiVwEcRtYuIoPlKjHgFdSaZxCvB";
    private const string Field = "fJ7sK2lQ9wE4rT6yU1iO3pA8sD5fG0hJkLzXcVbNmQwErTyUiOpAsDfGhJkLzXcV";
    private static readonly string Mask = new('*', 64);

    [Fact]
    public async Task AMaskedHiddenCsrfField_IsSentAsTheFieldTheNewPageRendered_NotAsTheCookieOfTheSameMask()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/admin/login/", (HttpContext context) =>
            {
                context.Response.Headers.SetCookie = $"csrftoken={Cookie}; Path=/; SameSite=Lax";
                return HttpResults.Content($"<html><body><form method=\"post\"><input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"{Field}\"><input name=\"username\"></form></body></html>", "text/html");
            });
            app.MapPost("/admin/login/", () => HttpResults.Ok());
        });
        var page = Recorded.Request("GET", "/admin/login/", 0, session: "s",
            responseHeaders: ImmutableArray.Create(new HeaderField("Content-Type", "text/html; charset=utf-8"), new HeaderField("Set-Cookie", $"csrftoken={Mask}; Path=/; SameSite=Lax"))) is var e
            ? e with
            {
                Response = e.Response! with { Body = ExchangeBody.FromText($"<html><body><form method=\"post\"><input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"{Mask}\"><input name=\"username\"></form></body></html>", "text/html; charset=utf-8") },
                Redactions = [new Redaction("response.header:set-cookie", "header-deny", "mask"), new Redaction("response.body:text", "secret", "mask")],
            }
            : null!;
        var login = Recorded.Post(0.1, "/admin/login/", $"csrfmiddlewaretoken={Mask}&username=admin&password=x", "application/x-www-form-urlencoded") is var p
            ? p with { Request = p.Request with { Headers = p.Request.Headers.Add(new HeaderField("Cookie", $"csrftoken={Mask}")) } }
            : null!;

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([page, login]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal($"csrfmiddlewaretoken={Field}&username=admin&password=x", sent[1].Body);
        Assert.Contains($"csrftoken={Cookie}", sent[1].Headers["Cookie"], StringComparison.Ordinal);
    }
}
