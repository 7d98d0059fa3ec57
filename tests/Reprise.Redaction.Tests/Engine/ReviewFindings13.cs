using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>Review 13 of the name search terms (NameSearchTerms): defects proven here, fixed in src.</summary>
public sealed class ReviewFindings13
{
    [Theory]
    [InlineData("maria_gonzalez")]
    [InlineData("gonzalez_m")]
    [InlineData("GONZALEZ__2024")]
    public void ANameWordJoinedByAnUnderscore_InASearch_IsReplaced(string typed)
    {
        // A search box often gets a user name or a file-like spelling (maria_gonzalez): '_' separates words like '.' or '-'.
        var policy = Policies.Default;
        policy.Redact(Testing.Exchanges.Get("https://crm.acme.test/api/customers", """{"data":[{"name":"Maria Gonzalez"}]}"""));

        var redacted = policy.Redact(Testing.Exchanges.Get("https://crm.acme.test/api/customers?q=" + typed + "&limit=10"));

        Assert.DoesNotContain("gonzalez", redacted.Request.Url, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("&limit=10", redacted.Request.Url, StringComparison.Ordinal);
        Assert.Contains(redacted.Redactions, r => r is { Location: "request.url:query.q", Rule: "carried:person-name" });
    }

    [Fact]
    public void AQueryValueThatIsAlreadyAToken_IsLeftAlone_WhenRedactedAgain()
    {
        var policy = Policies.Default;
        policy.Redact(Testing.Exchanges.Get("https://crm.acme.test/api/customers", """{"data":[{"name":"Maria Gonzalez"}]}"""));
        var once = policy.Redact(Testing.Exchanges.Get("https://crm.acme.test/api/customers?q=maria_gonzalez"));

        var twice = Policies.Default.Redact(once);

        Assert.Equal(once.Request.Url, twice.Request.Url);
        Assert.Equal(once.Redactions.Length, twice.Redactions.Length);
    }

    [Theory]
    // Elasticsearch / OpenSearch: the operator holds the searched field, whose value is the term.
    [InlineData("""{"query":{"match":{"customer":"gonzalez"}}}""", "$.query.match.customer")]
    [InlineData("""{"query":{"bool":{"must":[{"prefix":{"reference":"gonzalez"}}]}}}""", "$.query.bool.must[0].prefix")]
    [InlineData("""{"query":{"match_phrase":{"notes":"called gonzalez twice"}}}""", "$.query.match_phrase.notes")]
    public void ANameWordUnderASearchOperatorsField_InAJsonBody_IsReplaced(string body, string location)
    {
        var policy = Policies.Default;
        policy.Redact(Testing.Exchanges.Get("https://crm.acme.test/api/customers", """{"data":[{"name":"Maria Gonzalez"}]}"""));

        var redacted = policy.Redact(Policies.Json(body, """{"hits":{"total":1}}"""));

        Assert.DoesNotContain("gonzalez", Policies.RequestText(redacted), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(redacted.Redactions, r => r.Location.StartsWith("request.body:" + location, StringComparison.Ordinal) && r.Rule == "carried:person-name");
    }

    [Fact]
    public void AnUpdateOperatorsFields_AreNotSearchTerms()
    {
        // MongoDB's $set holds the new values, not a search: a city that is also a name's word stays.
        var policy = Policies.Default;
        policy.Redact(Testing.Exchanges.Get("https://crm.acme.test/api/customers", """{"data":[{"name":"Paris Gonzalez"}]}"""));

        var redacted = policy.Redact(Policies.Json("""{"filter":{"id":7},"update":{"$set":{"city":"Paris"}}}"""));

        Assert.Contains("\"city\":\"Paris\"", Policies.RequestText(redacted), StringComparison.Ordinal);
    }
}
