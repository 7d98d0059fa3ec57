using System.Text.Json;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 11a (PostGraphile): <c>registerPerson(firstName, lastName)</c> answered <c>fullName</c>, a column the database
/// computes as first || ' ' || last. The recording tokenized "Maria Gonzalez" as one token while the request's parts got
/// a token each, so on replay the fresh server answered the two parts' tokens joined by a space: a difference in every
/// answer naming the person (3 of 5 diffs), and the same for a name written in a post. A name of several words is
/// tokenized word by word.
/// </summary>
public sealed class ComposedNameTests
{
    [Fact]
    public void AFullNameTheServerComposedFromTheRequestsParts_IsTheTokensOfThoseParts()
    {
        var exchange = Policies.Json(
            """{"variables":{"firstName":"Maria","lastName":"Gonzalez"}}""",
            """{"data":{"registerPerson":{"person":{"fullName":"Maria Gonzalez"}}}}""");

        var redacted = Policies.Default.Redact(exchange);

        using var request = JsonDocument.Parse(Policies.RequestText(redacted));
        using var response = JsonDocument.Parse(Policies.ResponseText(redacted));
        var variables = request.RootElement.GetProperty("variables");
        var first = variables.GetProperty("firstName").GetString();
        var last = variables.GetProperty("lastName").GetString();
        Assert.StartsWith("tok_name_", first, StringComparison.Ordinal);
        Assert.Equal($"{first} {last}", response.RootElement.GetProperty("data").GetProperty("registerPerson").GetProperty("person").GetProperty("fullName").GetString());
    }

    [Fact]
    public void TheSameFullName_GetsTheSameTokens_AndItsSpacingIsKept()
    {
        var a = Policies.Json("""{"customer":{"name":"Jonas  Schmidt"}}""");
        var b = Policies.Json("""{"customer":{"name":"Jonas Schmidt"}}""");

        using var first = JsonDocument.Parse(Policies.RequestText(Policies.Default.Redact(a)));
        using var second = JsonDocument.Parse(Policies.RequestText(Policies.Default.Redact(b)));
        var two = first.RootElement.GetProperty("customer").GetProperty("name").GetString()!;
        var one = second.RootElement.GetProperty("customer").GetProperty("name").GetString()!;
        Assert.Matches("^tok_name_[a-z2-7]{16}  tok_name_[a-z2-7]{16}$", two);
        Assert.Equal(one, two.Replace("  ", " ", StringComparison.Ordinal));
    }
}
