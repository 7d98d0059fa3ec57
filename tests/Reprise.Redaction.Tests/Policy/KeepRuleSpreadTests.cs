using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Policy;

/// <summary>
/// A value a rules-file <c>keep</c> kept where it stood is not rewritten there by the same-value pass from another place
/// of the exchange that redacted it (QA round 9: MediaWiki's <c>username</c> form field kept, the response's
/// <c>name</c> tokenized, and the token spread back into the kept field).
/// </summary>
public sealed class KeepRuleSpreadTests
{
    [Fact]
    public void AKeptFormField_StaysRaw_WhenTheResponseRedactsTheSameValue()
    {
        var policy = Policies.FromYaml("rules:\n  - {form: username, action: keep}\n");
        var exchange = Policies.Json("{}", """{"user":{"name":"Maria Gonzalez","email":"maria.gonzalez@example.org"}}""");
        exchange = exchange with
        {
            Request = exchange.Request with { Method = "POST", Url = "https://wiki.example.test/api.php", Body = ExchangeBody.FromText("action=login&username=Maria+Gonzalez&format=json", "application/x-www-form-urlencoded") },
        };

        var redacted = policy.Redact(exchange);

        Assert.Contains("username=Maria+Gonzalez", Policies.RequestText(redacted), StringComparison.Ordinal);
        Assert.DoesNotContain("Maria Gonzalez", Policies.ResponseText(redacted), StringComparison.Ordinal); // found there on its own: still redacted
        Assert.DoesNotContain("maria.gonzalez@example.org", Policies.ResponseText(redacted), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAKeepRule_TheSameValueStillSpreads()
    {
        var exchange = Policies.Json("{}", """{"user":{"name":"Maria Gonzalez","email":"maria.gonzalez@example.org"}}""");
        exchange = exchange with
        {
            Request = exchange.Request with { Method = "POST", Url = "https://wiki.example.test/api.php", Body = ExchangeBody.FromText("action=login&note=maria.gonzalez@example.org&format=json", "application/x-www-form-urlencoded") },
        };

        var redacted = Policies.Default.Redact(exchange);

        Assert.DoesNotContain("maria.gonzalez", Policies.RequestText(redacted), StringComparison.Ordinal);
        Assert.DoesNotContain("maria.gonzalez", Policies.ResponseText(redacted), StringComparison.Ordinal);
    }
}
