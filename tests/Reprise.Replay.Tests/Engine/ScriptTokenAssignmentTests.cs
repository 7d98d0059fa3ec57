using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 13b (Tiny Tiny RSS's web UI in headless Chromium, replayed against a fresh instance): the page hands its CSRF
/// token to the app as <c>const __csrf_token = "…";</c> in an inline script, masked in the recording, and every
/// <c>backend.php</c> call posts it back as <c>csrf_token=****</c>. Script members (<c>{token: "…"}</c>) were learned, a
/// variable assignment was not: the calls went with the mask and answered "Request not authorized". A comparison
/// (<c>token == "…"</c>) is no assignment.
/// </summary>
public sealed class ScriptTokenAssignmentTests
{
    private const string Token = "18c916f56fc34be28e486c49815d5efd";
    private static readonly string Mask = new('*', Token.Length);

    [Fact]
    public async Task ATokenAssignedToAVariableInAPageScript_IsSentBackWhereTheClientSentIt()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/", () => HttpResults.Text("<html><script>\n\t\tconst __csrf_token = \"" + Token + "\";\n\t\tif (x.token == \"abcdefgh\") {}\n</script></html>", "text/html"));
            app.MapPost("/backend.php", () => HttpResults.Ok());
        });
        var page = Recorded.Request("GET", "/", 0, session: "s", responseBody: "<html><script>\n\t\tconst __csrf_token = \"" + Mask + "\";\n\t\tif (x.token == \"abcdefgh\") {}\n</script></html>")
            with { Redactions = [new Redaction("response.body", "secret", "mask")] };
        var call = Recorded.Post(0.1, "/backend.php", "op=rpc&method=sanityCheck&csrf_token=" + Mask, "application/x-www-form-urlencoded")
            with { Redactions = [new Redaction("request.body", "carried:secret", "mask")] };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([page, call]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal("op=rpc&method=sanityCheck&csrf_token=" + Token, target.Arrivals.ToList()[1].Body);
    }
}
