using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Sessions;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 11a (PostGraphile): two users logged in on one client, each answered <c>{"jwtToken": …}</c> masked at the same
/// length, so the masks read alike and replay sent the latest new JWT: the first user's calls ran as the second user.
/// Redaction now tags the login with the keyed token of the credential it issued (<c>redaction.issued</c>), the same token
/// that tags the requests sending it back (<c>redaction.authorization</c>): each call gets its own login's new token.
/// </summary>
public sealed class IssuedCredentialTests
{
    private const string Location = "response.body:$.data.authenticate.jwtToken";
    private static readonly string Mask = new('*', 40);

    private static string Fingerprint(char user) => "tok_secret_" + new string(user, 16);

    private static Exchange FromClient(Exchange exchange) => exchange with { Tags = exchange.Tags.SetItem(WellKnownTags.ClientAddress, "10.0.0.7") };

    private static Exchange Login(double at, string user) => FromClient(
        Recorded.Request("POST", "/login", at, body: $$"""{"user":"{{user}}"}""", responseBody: "{\"data\":{\"authenticate\":{\"jwtToken\":\"" + Mask + "\"}}}")) is var e
        ? e with
        {
            Redactions = [new Redaction(Location, "jwt", "mask")],
            Tags = e.Tags.SetItem(WellKnownTags.RedactedIssued, Fingerprint(user[0]) + "@" + Location),
        }
        : e;

    private static Exchange Me(double at, string user) => FromClient(Recorded.Request("GET", "/me", at, session: Mask)) is var e
        ? e with { Tags = e.Tags.SetItem(WellKnownTags.RedactedAuthorization, Fingerprint(user[0])) }
        : e;

    [Fact]
    public async Task TwoLoginsOnOneClient_EachCallSendsItsOwnLoginsNewToken()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/login", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var user = (await reader.ReadToEndAsync()).Contains("\"ann\"", StringComparison.Ordinal) ? "ann" : "bob";
                return HttpResults.Json(new { data = new { authenticate = new { jwtToken = "live-" + user + "-" + new string('x', 31) } } });
            });
            app.MapGet("/me", () => HttpResults.Ok());
        });
        var exchanges = new[] { Login(0, "ann"), Login(0.1, "bob"), Me(0.2, "ann"), Me(0.3, "bob"), Me(0.4, "ann") };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var me = target.Arrivals.Where(a => a.PathAndQuery == "/me").Select(a => a.Headers["Authorization"]).ToList();
        var ann = "Bearer live-ann-" + new string('x', 31);
        var bob = "Bearer live-bob-" + new string('x', 31);
        Assert.Equal([ann, bob, ann], me);
    }

    [Fact]
    public void ACallTaggedWithAnIssuedCredential_JoinsTheSessionOfTheLoginThatIssuedIt()
    {
        var linker = new SessionLinker(SessionKeyKinds.Default);
        var login = linker.Resolve(Login(0, "ann") with { Tags = Login(0, "ann").Tags.Remove(WellKnownTags.ClientAddress) });
        var call = linker.Resolve(Me(0.2, "ann") with { Tags = Me(0.2, "ann").Tags.Remove(WellKnownTags.ClientAddress) });
        var stranger = linker.Resolve(Me(0.3, "zed") with { Tags = Me(0.3, "zed").Tags.Remove(WellKnownTags.ClientAddress) });

        Assert.Equal(login.Key, call.Key);
        Assert.True(call.Grouped);
        Assert.NotEqual(login.Key, stranger.Key);
    }
}
