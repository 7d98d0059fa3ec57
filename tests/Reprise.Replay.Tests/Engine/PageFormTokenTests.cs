using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 15a (Icinga Web 2 in Chromium): the preferences page holds several forms, each with its own
/// <c>CSRFToken</c> (<c>seed|hmac</c>, the seed a random number of 9 or 10 digits), so the recording held masks of 74 and
/// 75 stars, two of them 74. The page paired the 74-star mask with two new tokens: ambiguous, neither learned, and the
/// post went out with the mask (500, CsrfCounterMeasure). The browser sent the token of the form it submitted; the post
/// carries that form's hidden <c>formUID</c>.
/// </summary>
public sealed class PageFormTokenTests
{
    private static readonly string Mask = new('*', 20);

    private static string Page(string first, string second) =>
        "<html><body>"
        + $"<form method=\"post\" action=\"/account\"><input type=\"hidden\" name=\"formUID\" value=\"form_change_password\"><input type=\"hidden\" name=\"CSRFToken\" value=\"{first}\"><input name=\"new_password\"></form>"
        + $"<form method=\"post\" action=\"/account\"><input type=\"hidden\" name=\"formUID\" value=\"form_config_preferences\"><input type=\"hidden\" name=\"CSRFToken\" value=\"{second}\"><select name=\"timezone\"></select></form>"
        + "</body></html>";

    [Fact]
    public async Task AnAmbiguousMaskedFormToken_IsTheTokenOfTheFormWhoseHiddenFieldsThePostCarries()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/account", () => HttpResults.Content(Page("1111111111|aaaaaaaa", "2222222222|bbbbbbbb"), "text/html"));
            app.MapPost("/account", () => HttpResults.Ok());
        });
        var page = Recorded.Request("GET", "/account", 0, session: "s",
            responseHeaders: ImmutableArray.Create(new HeaderField("Content-Type", "text/html; charset=utf-8"))) is var e
            ? e with
            {
                Response = e.Response! with { Body = ExchangeBody.FromText(Page(Mask, Mask), "text/html; charset=utf-8") },
                Redactions = [new Redaction("response.body:text", "secret", "mask")],
            }
            : null!;
        var post = Recorded.Post(0.1, "/account", $"timezone=Europe%2FBerlin&formUID=form_config_preferences&CSRFToken={Mask}&btn_submit=Save", "application/x-www-form-urlencoded");
        var other = Recorded.Post(0.2, "/account", $"new_password=x&formUID=unknown_form&CSRFToken={Mask}", "application/x-www-form-urlencoded");

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([page, post, other]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("timezone=Europe%2FBerlin&formUID=form_config_preferences&CSRFToken=2222222222%7Cbbbbbbbb&btn_submit=Save", sent[1].Body);
        Assert.Equal($"new_password=x&formUID=unknown_form&CSRFToken={Mask}", sent[2].Body); // no form of the page fits: as before
    }
}
