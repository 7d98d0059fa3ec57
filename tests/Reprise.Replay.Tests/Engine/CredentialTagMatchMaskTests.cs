using Microsoft.AspNetCore.Builder;
using Reprise.Core.Model;
using Reprise.Replay.Correlation;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 15a (Icinga Web 2's API mode, HTTP Basic): the client tried a wrong credential (<c>mgonzalez:Ic-wrong-pass</c>)
/// of the same length as another user's (<c>atanaka:New-Aiko-Pw-5150</c>), both masked to <c>Basic</c> and 32 stars.
/// match-mask judged by the length alone and that user's rule filled the wrong try, which then logged in (the recorded 401
/// became whatever the user may see). Redaction tags each masked credential with its keyed token
/// (<c>redaction.authorization</c>); with the recording's key, a rule fills only the credential it is.
/// </summary>
public sealed class CredentialTagMatchMaskTests
{
    private const string Wrong = "bWdvbnphbGV6OndyMG5nLXB3"; // 24 characters, as Bob's
    private const string Bob = "Ym9iOmJvYnMtcGFzc3dvcmQx";
    private const string Ann = "YW5uOmFubnMtbG9uZ2VyLXBhc3N3b3Jk";

    /// <summary>Keyed tokens as a policy would make them (a reversible stand-in: the test needs equality only).</summary>
    private sealed class FakeTokens : Core.Pipeline.IRedactionTokens
    {
        public string? TokenLike(string token, string value) => token.StartsWith("tok_secret_", StringComparison.Ordinal) ? Of(value) : null;

        public static string Of(string value) => "tok_secret_" + Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(value)).ToLowerInvariant();
    }

    private static Exchange Call(double at, string path, string credential) =>
        Recorded.Request("GET", path, at) is var e
            ? e with
            {
                Request = e.Request with { Headers = e.Request.Headers.Add(new HeaderField("Authorization", "Basic " + new string('*', credential.Length))) },
                Tags = e.Tags.SetItem(WellKnownTags.RedactedAuthorization, FakeTokens.Of(credential)),
            }
            : null!;

    [Fact]
    public async Task AMatchMaskRuleOnAuthorization_FillsOnlyTheCredentialItsTagNames_NotAWrongTryOfItsLength()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/wrong", () => HttpResults.Unauthorized());
            app.MapGet("/ann", () => HttpResults.Ok());
            app.MapGet("/bob", () => HttpResults.Ok());
        });
        var rules = CorrelationRulesFile.Parse($"""
            rules:
              - name: ann
                value: {Ann}
                substitute: {"{"} header: Authorization, prefix: "Basic " {"}"}
                match-mask: true
              - name: bob
                value: {Bob}
                substitute: {"{"} header: Authorization, prefix: "Basic " {"}"}
                match-mask: true
            """, "rules.yaml");
        var exchanges = new[] { Call(0, "/wrong", Wrong), Call(0.1, "/ann", Ann), Call(0.2, "/bob", Bob) };

        await Replayer.RunAsync(
            new ReplayOptions { Target = target.Address, Speed = 50, CorrelationRules = rules, Tokens = new FakeTokens() },
            Recorded.Stream(exchanges),
            new ListSink(),
            TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToDictionary(a => a.PathAndQuery, a => a.Headers["Authorization"]);
        Assert.Equal("Basic " + new string('*', Wrong.Length), sent["/wrong"]);
        Assert.Equal("Basic " + Ann, sent["/ann"]);
        Assert.Equal("Basic " + Bob, sent["/bob"]);
    }

    /// <summary>Guard: without the recording's key (no tokens), the length decides as before.</summary>
    [Fact]
    public async Task WithoutTheKey_TheMaskLengthDecides()
    {
        await using var target = await CountingTarget.StartAsync(app => app.MapGet("/bob", () => HttpResults.Ok()));
        var rules = CorrelationRulesFile.Parse($"""
            rules:
              - name: bob
                value: {Bob}
                substitute: {"{"} header: Authorization, prefix: "Basic " {"}"}
                match-mask: true
            """, "rules.yaml");

        await Replayer.RunAsync(
            new ReplayOptions { Target = target.Address, Speed = 50, CorrelationRules = rules },
            Recorded.Stream([Call(0, "/bob", Bob)]),
            new ListSink(),
            TestContext.Current.CancellationToken);

        Assert.Equal("Basic " + Bob, Assert.Single(target.Arrivals).Headers["Authorization"]);
    }
}
