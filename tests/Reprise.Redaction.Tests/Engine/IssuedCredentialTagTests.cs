using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// A login's answer whose token is masked is tagged with the keyed token of that credential and where it was
/// (<c>redaction.issued</c>); a request sending the credential back is tagged with the same keyed token
/// (<c>redaction.authorization</c>, keyed without the scheme): replay tells two users' logins apart although their masks
/// read alike (QA round 11a, PostGraphile).
/// </summary>
public sealed class IssuedCredentialTagTests
{
    private const string AnnJwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm4iLCJyb2xlIjoidXNlciJ9.Zm9vYmFyYmF6cXV4MDEyMzQ1Njc4OWFiY2RlZg";
    private const string BobJwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IiLCJyb2xlIjoidXNlciJ9.YmFyYmF6cXV4Zm9vMDEyMzQ1Njc4OWFiY2RlZg";

    private static Exchange Login(string jwt) => Exchanges.Send("POST", "https://forum.test/graphql", """{"query":"mutation{authenticate}"}""",
        "{\"data\":{\"authenticate\":{\"jwtToken\":\"" + jwt + "\"}}}");

    private static Exchange Call(string jwt) => Exchanges.Get("https://forum.test/graphql?query=%7Bme%7Bid%7D%7D") is var e
        ? e with { Request = e.Request with { Headers = [new HeaderField("Authorization", "Bearer " + jwt)] } }
        : e;

    [Fact]
    public void TheIssuedTag_NamesTheSameKeyedTokenAsTheCallsThatSendTheCredentialBack()
    {
        var policy = Policies.Default;
        var annLogin = policy.Redact(Login(AnnJwt));
        var bobLogin = policy.Redact(Login(BobJwt));
        var annCall = policy.Redact(Call(AnnJwt));
        var bobCall = policy.Redact(Call(BobJwt));

        Assert.Equal(Policies.ResponseText(annLogin), Policies.ResponseText(bobLogin)); // the masks read alike
        const string Where = "@response.body:$.data.authenticate.jwtToken";
        Assert.Equal(annCall.Tags[WellKnownTags.RedactedAuthorization] + Where, annLogin.Tags[WellKnownTags.RedactedIssued]);
        Assert.Equal(bobCall.Tags[WellKnownTags.RedactedAuthorization] + Where, bobLogin.Tags[WellKnownTags.RedactedIssued]);
        Assert.NotEqual(annLogin.Tags[WellKnownTags.RedactedIssued], bobLogin.Tags[WellKnownTags.RedactedIssued]);
        Assert.DoesNotContain(AnnJwt, string.Join("\n", annLogin.Tags.Values), StringComparison.Ordinal);
        Assert.Same(annLogin, policy.Redact(annLogin)); // a second pass changes nothing
    }

    [Fact]
    public void ATokenizedOrUnmaskedResponse_IsNotTagged()
    {
        var tokenized = Policies.FromYaml("detectors:\n  secret: tokenize\n  jwt: tokenize\n").Redact(Login(AnnJwt));
        var plain = Policies.Default.Redact(Exchanges.Send("POST", "https://forum.test/graphql", "{}", """{"data":{"me":{"id":7}}}"""));

        Assert.False(tokenized.Tags.ContainsKey(WellKnownTags.RedactedIssued)); // a token correlates by itself
        Assert.False(plain.Tags.ContainsKey(WellKnownTags.RedactedIssued));
    }
}
