using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 9 (npm json-graphql-server with graphql-request): a GraphQL query is scanned as text for <c>key: value</c>
/// pairs. <c>createOrder(customer_id: $cid)</c> had its variable reference tokenized (the replayed mutation failed:
/// "ID cannot represent a non-string and non-integer value", "Variable $cid is never used"), <c>username: $user)</c> lost
/// its closing parenthesis with it, and an alias (<c>c: login(password: "…")</c>) took the argument list as its own
/// value, so the password's key was never seen and it went to disk raw.
/// </summary>
public sealed class GraphQlQueryTextTests
{
    private static string RedactedQuery(string query)
    {
        var exchange = Policies.Json(System.Text.Json.JsonSerializer.Serialize(new { query }));
        var redacted = Policies.Default.Redact(exchange);
        using var document = System.Text.Json.JsonDocument.Parse(Policies.RequestText(redacted));
        return document.RootElement.GetProperty("query").GetString()!;
    }

    [Fact]
    public void VariableReferences_AreLeftAlone()
    {
        const string Query = "mutation O($cid: ID!, $user: String) { createOrder(customer_id: $cid, total: 99.9) { id } login(username: $user) { ok } }";

        Assert.Equal(Query, RedactedQuery(Query));
    }

    [Fact]
    public void AnInlineValue_IsRedacted_AndItsArgumentListStaysClosed()
    {
        var query = RedactedQuery("{ customer(customerId: 4821376) { name } other(username: jdoe) { id } }");

        Assert.DoesNotContain("jdoe", query, StringComparison.Ordinal);
        Assert.DoesNotContain("4821376", query, StringComparison.Ordinal);
        // A bare integer stays an integer (keyed digits, as a JSON number is): a tok_id_… there is an enum literal the
        // server rejects for an Int or ID argument. An identifier literal stays an identifier.
        Assert.Matches(@"^\{ customer\(customerId: [1-9][0-9]{6}\) \{ name \} other\(username: tok_id_[a-z0-9]{16}\) \{ id \} \}$", query);
    }

    [Fact]
    public void AnInlineInteger_GetsTheDigitsTheSameIdGetsAsAJsonNumber()
    {
        var exchange = Policies.Json(System.Text.Json.JsonSerializer.Serialize(new { query = "{ customer(customerId: 778812) { name } }" }), """{"data":{"customer":{"customerId":778812}}}""");

        var redacted = Policies.Default.Redact(exchange);

        using var request = System.Text.Json.JsonDocument.Parse(Policies.RequestText(redacted));
        using var response = System.Text.Json.JsonDocument.Parse(Policies.ResponseText(redacted));
        var number = response.RootElement.GetProperty("data").GetProperty("customer").GetProperty("customerId").GetRawText();
        Assert.NotEqual("778812", number);
        Assert.Equal($"{{ customer(customerId: {number}) {{ name }} }}", request.RootElement.GetProperty("query").GetString());
    }

    [Fact]
    public void AQuotedOrMaskedInteger_KeepsItsUsualReplacement()
    {
        var query = RedactedQuery("""{ customer(customerId: "778812") { name } }""");

        Assert.Matches(@"^\{ customer\(customerId: ""tok_id_[a-z0-9]{16}""\) \{ name \} \}$", query);
    }

    [Fact]
    public void AnAliasedField_DoesNotHideTheKeysOfItsArguments()
    {
        var query = RedactedQuery("""mutation { a: customer(customerId: "C-778812") { name } c: login(password: "hunter2-Secret", username: "jdoe") { ok } }""");

        Assert.DoesNotContain("hunter2-Secret", query, StringComparison.Ordinal);
        Assert.DoesNotContain("C-778812", query, StringComparison.Ordinal);
        Assert.DoesNotContain("jdoe", query, StringComparison.Ordinal);
        Assert.StartsWith("mutation { a: customer(customerId: \"tok_id_", query, StringComparison.Ordinal);
        Assert.Contains("c: login(password: \"**************\", username: \"tok_id_", query, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueWithBalancedParentheses_IsRedactedWhole()
    {
        var exchange = Policies.Json("{}", "{}") with { Request = Policies.Json("{}").Request with { Body = Core.Model.ExchangeBody.FromText("password=abc(123) next=1", "text/plain") } };

        var text = Policies.RequestText(Policies.Default.Redact(exchange));

        Assert.Equal("password=******** next=1", text);
    }

    // QA round 11a (PostGraphile with python-requests): "$password: String!" declares a variable; its type was masked as a
    // password ("$password: *******"), the query no longer parsed on replay or under the mock, and the same-value pass
    // masked "$first: String!" and every later "String!" of the stream with it.
    [Fact]
    public void VariableDefinitions_NamedLikeCredentials_KeepTheirTypes()
    {
        const string Query = "mutation Authenticate($email: String!, $password: String!, $token: String) { authenticate(input: {email: $email, password: $password, token: $token}) { jwtToken } }";

        Assert.Equal(Query, RedactedQuery(Query));
    }

    [Fact]
    public void AVariableDefinitionsDefaultValue_IsStillJudged()
    {
        var query = RedactedQuery("""query Q($password: String = "hunter2-Secret", $limit: Int = 10) { login(password: $password) { ok } }""");

        Assert.DoesNotContain("hunter2-Secret", query, StringComparison.Ordinal);
        Assert.StartsWith("""query Q($password: String = "**************", $limit: Int = 10)""", query, StringComparison.Ordinal);
    }
}
