using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>Review of redaction.issued (c0f2527): each call must get its own login's new credential, written once.</summary>
public sealed class ReviewFindings12
{
    private const string Location = "response.body:$.token";
    private static readonly string Mask = new('*', 40);

    private static string Fingerprint(char user) => "tok_secret_" + new string(user, 16);

    private static Exchange FromClient(Exchange exchange) => exchange with { Tags = exchange.Tags.SetItem(WellKnownTags.ClientAddress, "10.0.0.7") };

    private static Exchange Login(double at, string user, string scheme) => FromClient(
        Recorded.Request("POST", "/login", at, body: $$"""{"user":"{{user}}"}""", responseBody: "{\"token\":\"" + scheme + Mask + "\"}")) is var e
        ? e with
        {
            Redactions = [new Redaction(Location, "bearer-token", "mask")],
            Tags = e.Tags.SetItem(WellKnownTags.RedactedIssued, Fingerprint(user[0]) + "@" + Location),
        }
        : e;

    private static Exchange Me(double at, string user, string scheme) => FromClient(Recorded.Request("GET", "/me", at)) is var e
        ? e with
        {
            Request = e.Request with { Headers = e.Request.Headers.Add(new HeaderField("Authorization", scheme + Mask)) },
            Tags = e.Tags.SetItem(WellKnownTags.RedactedAuthorization, Fingerprint(user[0])),
        }
        : e;

    private static async Task<List<string>> RunAsync(string bodyScheme, string headerScheme)
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/login", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var user = (await reader.ReadToEndAsync()).Contains("\"ann\"", StringComparison.Ordinal) ? "ann" : "bob";
                return HttpResults.Json(new { token = bodyScheme + "live-" + user + "-" + new string('x', 31) });
            });
            app.MapGet("/me", () => HttpResults.Ok());
        });
        var exchanges = new[] { Login(0, "ann", bodyScheme), Login(0.1, "bob", bodyScheme), Me(0.2, "ann", headerScheme), Me(0.3, "bob", headerScheme), Me(0.4, "ann", headerScheme) };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        return target.Arrivals.Where(a => a.PathAndQuery == "/me").Select(a => a.Headers["Authorization"]).ToList();
    }

    /// <summary>
    /// A login answering <c>{"token": "Bearer eyJ…"}</c> (the whole header value): redaction masks the credential after
    /// the scheme and keys it without it, but replay learned the whole new value and wrote it after the request's own
    /// scheme: <c>Authorization: Bearer Bearer live-…</c>.
    /// </summary>
    [Fact]
    public async Task ALoginIssuingTheWholeHeaderValue_IsSentWithOneScheme()
    {
        var me = await RunAsync("Bearer ", "Bearer ");

        var ann = "Bearer live-ann-" + new string('x', 31);
        var bob = "Bearer live-bob-" + new string('x', 31);
        Assert.Equal([ann, bob, ann], me);
    }

    /// <summary>
    /// A credential sent without a scheme (<c>Authorization: eyJ…</c>): redaction keys it whole, the same token the
    /// login's tag names, but replay only looked the issued credential up behind a scheme, so the masks decided and the
    /// first user's calls ran as the second.
    /// </summary>
    [Fact]
    public async Task ACredentialSentWithoutAScheme_IsItsOwnLoginsNewValue()
    {
        var me = await RunAsync(string.Empty, string.Empty);

        var ann = "live-ann-" + new string('x', 31);
        var bob = "live-bob-" + new string('x', 31);
        Assert.Equal([ann, bob, ann], me);
    }
}
