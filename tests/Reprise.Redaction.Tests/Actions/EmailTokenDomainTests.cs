using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Actions;

/// <summary>
/// QA round 12c (Directus replayed against a fresh instance): every tokenized email was refused, "email must be a valid
/// email", so neither the created user nor her login replayed. Directus validates with Joi's <c>string().email()</c>,
/// which checks the top-level domain against IANA's list, and <c>.invalid</c> is a special-use name (RFC 6761) that is
/// never delegated. An email token's domain is now under <c>example.com</c> (RFC 2606: reserved, never delivered).
/// </summary>
public sealed class EmailTokenDomainTests
{
    // RFC 6761/6762/7686 special-use names: validators that check the top-level domain refuse them.
    private static readonly string[] SpecialUse = ["invalid", "test", "example", "localhost", "local", "onion"];

    [Fact]
    public void AnEmailToken_EndsInADelegatedTopLevelDomain()
    {
        var exchange = Testing.Exchanges.Send("POST", "http://app.test/users", """{"email":"sofia.rossi@example.it","password":"x"}""", id: "e1");

        var email = System.Text.Json.Nodes.JsonNode.Parse(Policies.RequestText(Policies.Default.Redact(exchange)))!["email"]!.GetValue<string>();

        Assert.Matches("^tok_email_[a-z2-7]{16}@redacted\\.example\\.com$", email);
        Assert.DoesNotContain(email[(email.LastIndexOf('.') + 1)..], SpecialUse);
    }

    [Theory]
    [InlineData("tok_email_o3buiqsoxb3l7y7m@redacted.example.com")]
    [InlineData("tok_email_o3buiqsoxb3l7y7m@redacted.invalid")] // written by builds before the change: still a token
    public void AnEmailToken_OfEitherDomain_IsAToken_AndIsLeftAlone(string token)
    {
        var exchange = Testing.Exchanges.Send("POST", "http://app.test/users", "{\"email\":\"" + token + "\",\"note\":\"write to " + token + "\"}", id: "e2");

        Assert.True(RedactedValue.IsToken(token));
        Assert.Same(exchange, Policies.Default.Redact(exchange));
    }
}
