using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Policy;

/// <summary>
/// QA round 11a (Node-RED's admin API, recorded with <c>detectors: { secret: tokenize }</c>, the documented way to replay
/// token logins exactly): <c>POST /auth/token</c> answered <c>access_token</c>, tokenized, while every later
/// <c>Authorization: Bearer</c> carrying it was masked by the header deny list, so replay could not pair the two: the calls
/// after the login were another session and sent the mask (14 of 18 answered 401). A denied header takes the secret
/// detector's tokenize action unless the rules file gives headers an action of their own.
/// </summary>
public sealed class SecretTokenizeHeaderTests
{
    private const string Token = "Kf1F2M3LC9HNZRneNiWHA7VOMrdnIdH9SGvjuBTTkaLaWdZNwU5wvbV1thBkPx40VxeX7v5eqAeqsKL52aVs17ZTOyNn15H8FqYEVx8";

    private static (string Issued, string Sent) LoginThenCall(string yaml)
    {
        var policy = Policies.FromYaml(yaml).NewStream();
        var login = policy.Redact(Policies.Json("{}", $$"""{"access_token":"{{Token}}","token_type":"Bearer"}"""));
        var call = Testing.Exchanges.Get("https://api.acme.test/flows", "{}", id: "c1");
        call = call with { Request = call.Request with { Headers = [new HeaderField("Authorization", "Bearer " + Token)] } };
        var sent = policy.Redact(call).Request.Headers.Get("authorization")!;
        using var json = System.Text.Json.JsonDocument.Parse(Policies.ResponseText(login));
        return (json.RootElement.GetProperty("access_token").GetString()!, sent);
    }

    [Fact]
    public void WithSecretTokenize_TheAuthorizationCredentialIsTheTokenTheLoginAnswered()
    {
        var (issued, sent) = LoginThenCall("detectors:\n  secret: tokenize\n");

        Assert.StartsWith("tok_secret_", issued, StringComparison.Ordinal);
        Assert.Equal("Bearer " + issued, sent);
    }

    [Fact]
    public void AHeadersActionOfItsOwn_StillDecides()
    {
        var (issued, sent) = LoginThenCall("detectors:\n  secret: tokenize\nheaders:\n  action: mask\n");

        Assert.StartsWith("tok_secret_", issued, StringComparison.Ordinal);
        Assert.Equal("Bearer " + new string('*', Token.Length), sent);
    }
}
