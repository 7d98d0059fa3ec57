using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests;

/// <summary>
/// Review of QA rounds 12b and 12c's redaction changes: the "a sentence is not a name" rule left a display name that
/// goes on in lower case raw (<c>Maria Gonzalez and family</c>); an email token the target upper-cased in the new domain
/// was re-tokenized as a new address (under <c>.invalid</c> it was left alone); a token made "like" a recording's
/// <c>@redacted.invalid</c> token came out in the new domain and never met it; an xCard's nickname (<c>&lt;nickname&gt;&lt;text&gt;</c>)
/// was kept raw, where vcard-temp's <c>NICKNAME</c> was tokenized.
/// </summary>
public sealed class ReviewFindings12bc
{
    private static string NameUnderCustomers(string name)
    {
        var exchange = Testing.Exchanges.Send("POST", "http://crm.test/api/customers/1", """{"x":1}""", JsonSerializer.Serialize(new { name }));
        using var json = JsonDocument.Parse(Policies.ResponseText(Policies.Default.Redact(exchange)));
        return json.RootElement.GetProperty("name").GetString()!;
    }

    [Theory]
    [InlineData("Maria Gonzalez and family", "Gonzalez")]
    [InlineData("Maria Gonzalez from accounting", "Gonzalez")]
    [InlineData("Maria Gonzalez, head of sales", "Gonzalez")]
    [InlineData("John Smith esq.", "Smith")]
    [InlineData("Juan de los Santos y las Casas", "Santos")]
    [InlineData("J. R. Tolkien and family", "Tolkien")]
    public void ANameGoingOnInLowerCase_IsStillTokenized(string value, string surname)
    {
        Assert.DoesNotContain(surname, NameUnderCustomers(value), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("This field may not be blank.")]
    [InlineData("This field is required.")]
    [InlineData("Ensure this field is not empty")]
    [InlineData("Select a valid choice. That choice is not one of the available choices.")]
    public void AValidationMessage_IsStillKept(string message)
    {
        Assert.Equal(message, NameUnderCustomers(message));
    }

    [Theory]
    [InlineData("TOK_EMAIL_ABCDEFGHIJKLMNOP@REDACTED.EXAMPLE.COM")]
    [InlineData("Tok_Email_Abcdefghijklmnop@Redacted.Example.Com")]
    [InlineData("TOK_EMAIL_ABCDEFGHIJKLMNOP@REDACTED.INVALID")]
    public void AnEmailTokenInAnotherCase_IsLeftAlone(string token)
    {
        var request = "{\"normalizedEmail\":\"" + token + "\",\"note\":\"sent to " + token + "\"}";
        var exchange = Testing.Exchanges.Send("POST", "http://app.test/api/users", request);

        Assert.Equal(request, Policies.RequestText(Policies.Default.Redact(exchange)));
    }

    [Fact]
    public void ATokenLikeALegacyEmailToken_IsInItsDomain()
    {
        var policy = Policies.Default;
        var now = policy.TokenLike("tok_email_aaaaaaaaaaaaaaaa@redacted.example.com", "maria@corp.com")!;
        var legacy = policy.TokenLike("tok_email_aaaaaaaaaaaaaaaa@redacted.invalid", "maria@corp.com")!;

        Assert.EndsWith("@redacted.example.com", now, StringComparison.Ordinal);
        Assert.Equal(now.Replace("@redacted.example.com", "@redacted.invalid", StringComparison.Ordinal), legacy);
    }

    [Fact]
    public void AnXCardsNickname_IsTokenized()
    {
        const string Xml = "<vcards xmlns='urn:ietf:params:xml:ns:vcard-4.0'><vcard><fn><text>Jonas Schmidt</text></fn><nickname><text>Jonny Boy</text></nickname><note><text>Front Desk</text></note></vcard></vcards>";
        var exchange = Testing.Exchanges.Send("POST", "http://dav.test/addressbook", "{}") with
        {
            Request = new ExchangeRequest { Method = "POST", Url = "http://dav.test/addressbook", Headers = [new("Content-Type", "application/vcard+xml")], Body = ExchangeBody.FromText(Xml, "application/vcard+xml") },
        };

        var after = Policies.RequestText(Policies.Default.Redact(exchange));

        Assert.DoesNotContain("Jonny", after, StringComparison.Ordinal);
        Assert.Contains("<note><text>Front Desk</text></note>", after, StringComparison.Ordinal);
    }
}
