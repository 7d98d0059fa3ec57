using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA rounds 12c and 13 left a person's surname raw when it was typed alone in a search: Directus'
/// <c>search=Watanabe</c> and <c>filter[name][_contains]=Schmidt</c>, <c>?q=gonzalez</c>. A full name redacted in the
/// exchange, or earlier in the stream (and a first or last name from a field that holds one), has its words looked for
/// in the request's query values: a word equal to one, ignoring case, gets that word's replacement. Nowhere else: a
/// first name recurs in unrelated text ("Jordan" the country), a search term is where a person's word alone is typed.
/// </summary>
public sealed class NameSearchTermTests
{
    private static readonly Reprise.Redaction.Policy.RedactionPolicy Tokens = Policies.Default;

    private static string NameToken(string word) =>
        System.Text.Json.JsonDocument.Parse(Policies.ResponseText(Tokens.Redact(Policies.Json("{}", $$"""{"lastName":"{{word}}"}""")))).RootElement.GetProperty("lastName").GetString()!;

    [Fact]
    public void ASurnameSearched_InTheExchangeThatAnswersTheFullName_GetsTheWordsToken()
    {
        var exchange = Testing.Exchanges.Get("https://crm.acme.test/api/customers?search=Gonzalez&limit=10", """{"data":[{"id":7,"name":"Maria Gonzalez"}]}""");

        var redacted = Policies.Default.Redact(exchange);

        Assert.Equal("https://crm.acme.test/api/customers?search=" + NameToken("Gonzalez") + "&limit=10", redacted.Request.Url);
        Assert.Contains(redacted.Redactions, r => r is { Location: "request.url:query.search", Rule: "same-value:person-name", Action: "tokenize" });
        Assert.DoesNotContain("Gonzalez", Policies.ResponseText(redacted), StringComparison.Ordinal);
        // A name is tokenized word by word: the searched word's token is the one inside the answered name, so the replayed
        // search still finds the replayed customer.
        Assert.Contains(" " + NameToken("Gonzalez") + "\"", Policies.ResponseText(redacted), StringComparison.Ordinal);
    }

    /// <summary>
    /// A JSON request body holding a lone surrogate escape (<c>"\udc00"</c>: valid JSON, no valid UTF-16) in a search
    /// member or a member name: reading it as a string threw out of <c>Redact</c> (the exchange was lost to the recorder);
    /// the other search terms of the body are still rewritten. Found by the fast-path property test (seed -299018).
    /// </summary>
    [Theory]
    [InlineData("""{"search":"\udc00 x","q":"Watanabe"}""")]
    [InlineData("""{"\ud800":"x","query":{"name":"Watanabe"}}""")]
    [InlineData("""{"search":"x","q":"Watanabe"}""")]
    [InlineData("""{"a":"x","query":{"name":"Watanabe"}}""")]
    public void ALoneSurrogateEscape_InASearchBody_DoesNotStopTheRewrite(string body)
    {
        var policy = Policies.Default;
        policy.Redact(Policies.Json("{}", """{"fullName":"Kenji Watanabe"}"""));

        var redacted = policy.Redact(Policies.Json(body, "{}"));

        Assert.DoesNotContain("Watanabe", Policies.RequestText(redacted), StringComparison.Ordinal);
        Assert.Contains(NameToken("Watanabe"), Policies.RequestText(redacted), StringComparison.Ordinal);
    }

    [Fact]
    public void ASurnameFromAnEarlierExchange_TypedInLowerCaseOrInsideAJsonFilter_IsReplacedLater()
    {
        var policy = Policies.Default;
        policy.Redact(Policies.Json("""{"customer":{"name":"Jonas Schmidt","email":"j.schmidt@example.org"}}""", """{"id":1}"""));
        policy.Redact(Policies.Json("{}", """{"fullName":"Kenji Watanabe"}"""));

        var bracketed = policy.Redact(Testing.Exchanges.Get("https://cms.acme.test/items/customers?filter[name][_contains]=schmidt&search=Watanabe"));
        var filter = policy.Redact(Testing.Exchanges.Get("https://cms.acme.test/items/customers?filter=%7B%22name%22%3A%7B%22_contains%22%3A%22Jonas%20Schmidt%22%7D%7D"));

        Assert.Equal("https://cms.acme.test/items/customers?filter[name][_contains]=" + NameToken("Schmidt") + "&search=" + NameToken("Watanabe"), bracketed.Request.Url);
        Assert.Contains(bracketed.Redactions, r => r is { Location: "request.url:query.search", Rule: "carried:person-name" });
        var decoded = Uri.UnescapeDataString(filter.Request.Url);
        Assert.DoesNotContain("Schmidt", decoded, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Jonas", decoded, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("{\"name\":{\"_contains\":\"", decoded, StringComparison.Ordinal);
    }

    [Fact]
    public void ASurnameInASearchForm_IsReplaced_AndTheContentLengthFollows()
    {
        var policy = Policies.Default;
        policy.Redact(Testing.Exchanges.Get("https://crm.acme.test/api/customers", """{"data":[{"name":"Maria Gonzalez"}]}"""));
        var search = Testing.Exchanges.Get("https://crm.acme.test/search") is var e
            ? e with
            {
                Request = new ExchangeRequest
                {
                    Method = "POST",
                    Url = "https://crm.acme.test/search",
                    Headers = [new("Content-Type", "application/x-www-form-urlencoded"), new("Content-Length", "20")],
                    Body = ExchangeBody.FromText("q=gonzalez&scope=all", "application/x-www-form-urlencoded"),
                },
            }
            : throw new InvalidOperationException();

        var redacted = policy.Redact(search);

        var form = Policies.RequestText(redacted);
        Assert.Equal("q=" + NameToken("Gonzalez") + "&scope=all", form);
        Assert.Equal(form.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), redacted.Request.Headers.Get("content-length"));
        Assert.Contains(redacted.Redactions, r => r is { Location: "request.body:form.q", Rule: "carried:person-name" });
    }

    [Fact]
    public void ASurnameInAJsonSearch_OrAGraphQlFilterVariable_IsReplaced_AndWhereElseTheExchangeHoldsIt()
    {
        var policy = Policies.Default;
        policy.Redact(Testing.Exchanges.Get("https://cms.acme.test/items/customers", """{"data":[{"name":"Jonas Schmidt"},{"name":"Kenji Watanabe"}]}"""));
        const string Query = "query Q($f: customers_filter) { customers(filter: $f) { id name } }";
        var graphQl = Testing.Exchanges.Send("POST", "https://cms.acme.test/graphql", "{\"query\":\"" + Query + "\",\"variables\":{\"f\":{\"name\":{\"_contains\":\"schmidt\"}}}}");
        var search = Testing.Exchanges.Send("POST", "https://cms.acme.test/search", """{"q":"Watanabe","page":2,"note":"watanabe","tags":["Schmidt"],"filters":[{"field":"city","$eq":"Schmidt"}]}""");
        var other = Testing.Exchanges.Send("POST", "https://cms.acme.test/notes", """{"note":"watanabe","tags":["Schmidt"],"field":"city"}""");

        var g = policy.Redact(graphQl);
        var s = policy.Redact(search);

        using var gj = System.Text.Json.JsonDocument.Parse(Policies.RequestText(g));
        Assert.Equal(Query, gj.RootElement.GetProperty("query").GetString());
        Assert.Equal(NameToken("Schmidt"), gj.RootElement.GetProperty("variables").GetProperty("f").GetProperty("name").GetProperty("_contains").GetString());
        Assert.Contains(g.Redactions, r => r is { Location: "request.body:$.variables.f.name._contains", Rule: "carried:person-name" });
        Assert.Equal(
            $$$"""{"q":"{{{NameToken("Watanabe")}}}","page":2,"note":"{{{NameToken("Watanabe")}}}","tags":["{{{NameToken("Schmidt")}}}"],"filters":[{"field":"city","$eq":"{{{NameToken("Schmidt")}}}"}]}""",
            Policies.RequestText(s));
        Assert.Contains(s.Redactions, r => r.Location == "request.body:$.filters[0].$eq");
        // A member that is no search term is not one, in an exchange that searched for nothing.
        Assert.Equal("""{"note":"watanabe","tags":["Schmidt"],"field":"city"}""", Policies.RequestText(policy.Redact(other)));
    }

    [Fact]
    public void ASearchedSurname_EchoedInItsAnswer_IsReplacedThereToo()
    {
        var policy = Policies.Default;
        policy.Redact(Testing.Exchanges.Get("https://crm.acme.test/api/customers", """{"data":[{"name":"Maria Gonzalez"}]}"""));

        var redacted = policy.Redact(Testing.Exchanges.Get("https://crm.acme.test/api/customers?q=gonzalez", """{"query":"gonzalez","summary":"2 results for Gonzalez","total":2}"""));

        var token = NameToken("Gonzalez");
        Assert.Equal($$"""{"query":"{{token}}","summary":"2 results for {{token}}","total":2}""", Policies.ResponseText(redacted));
        Assert.Contains(redacted.Redactions, r => r is { Location: "response.body", Rule: "same-value:person-name" });
    }

    [Fact]
    public void ASurnameWrittenInlineInAGraphQlDocument_IsReplaced_TheDocumentStaysValid()
    {
        var policy = Policies.Default;
        policy.Redact(Testing.Exchanges.Get("https://cms.acme.test/items/customers", """{"data":[{"name":"Jonas Schmidt"},{"name":"Kenji Watanabe"}]}"""));
        const string Query = "query { customers(search: \"Watanabe\", filter: { name: { _contains: \"schmidt\" }, city: { _eq: \"Schmidt\" } }) { id name } }";

        var redacted = policy.Redact(Testing.Exchanges.Send("POST", "https://cms.acme.test/graphql", System.Text.Json.JsonSerializer.Serialize(new { query = Query })));

        using var json = System.Text.Json.JsonDocument.Parse(Policies.RequestText(redacted));
        Assert.Equal(
            $"query {{ customers(search: \"{NameToken("Watanabe")}\", filter: {{ name: {{ _contains: \"{NameToken("Schmidt")}\" }}, city: {{ _eq: \"{NameToken("Schmidt")}\" }} }}) {{ id name }} }}",
            json.RootElement.GetProperty("query").GetString());
        Assert.Contains(redacted.Redactions, r => r is { Location: "request.body:$.query", Rule: "carried:person-name" });
    }

    [Fact]
    public void AnAnswerWithManyNames_IsSearchedByWord_AsAFewAre()
    {
        string[] first = ["Maria", "Kenji", "Jonas", "Sofia", "Amara", "Lukas"];
        string[] last = ["Gonzalez", "Watanabe", "Schmidt", "Rossi", "Okafor", "Novak"];
        var people = first.SelectMany(f => last.Select(l => $$"""{"name":"{{f}} {{l}}"}""")).ToList(); // 36 names
        var exchange = Testing.Exchanges.Get("https://crm.acme.test/api/customers?q=okafor&search=NOVAK+maria", "{\"data\":[" + string.Join(",", people) + "]}");

        var redacted = Policies.Default.Redact(exchange);

        // The '+' between the words stays as the client wrote it: only the words' own bytes are replaced (NameSearchCharsetTests).
        Assert.Equal($"https://crm.acme.test/api/customers?q={NameToken("Okafor")}&search={NameToken("Novak")}+{NameToken("Maria")}", redacted.Request.Url);
    }

    [Fact]
    public void AFirstOrLastNameField_CountsInItsOwnExchange_NotInLaterOnes()
    {
        var policy = Policies.Default;
        var own = policy.Redact(Testing.Exchanges.Send("POST", "https://crm.acme.test/api/customers?q=Jonas", """{"firstName":"Jonas","lastName":"Schmidt"}"""));

        var later = policy.Redact(Testing.Exchanges.Get("https://crm.acme.test/api/cities?q=jonas"));

        Assert.Equal("https://crm.acme.test/api/customers?q=" + NameToken("Jonas"), own.Request.Url);
        Assert.Equal("https://crm.acme.test/api/cities?q=jonas", later.Request.Url);
    }

    [Fact]
    public void QueryWordsThatAreNoPersonsWord_WordsOfNonNames_AndKeysThatHoldNoSearch_AreLeftAlone()
    {
        var policy = Policies.Default;
        // "Contacts" is a display name of a collection (a single word, from a field that is not a first or last name).
        policy.Redact(Policies.Json("""{"displayName":"Contacts"}""", """{"name":"Maria Gonzalez","author":"Platform Team"}"""));

        const string Url = "https://crm.acme.test/api/customers?view=contacts&q=Gonzalezberg&sort=-name&team=platform&status=active&city=Gonzalez&country=maria";
        var redacted = policy.Redact(Testing.Exchanges.Get(Url));

        Assert.Equal(Url, redacted.Request.Url);
        Assert.Empty(redacted.Redactions);
    }

    [Fact]
    public void ScanningOnItsOwn_FindsTheSurnameOnlyBesideItsFullName_AndRedactingTwiceChangesNothing()
    {
        var exchange = Testing.Exchanges.Get("https://crm.acme.test/api/customers?q=gonzalez", """{"data":[{"name":"Maria Gonzalez"}]}""");
        var policy = Policies.Default;

        Assert.Contains(policy.Scan(exchange), f => f.Location == "request.url:query.q");
        Assert.DoesNotContain(policy.Scan(Testing.Exchanges.Get("https://crm.acme.test/api/customers?q=gonzalez")), f => f.Location.StartsWith("request.url", StringComparison.Ordinal));
        var once = policy.Redact(exchange);
        Assert.Equal(once.Request.Url, policy.Redact(once).Request.Url);
    }
}
