using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

/// <summary>
/// QA round 13a (Redmine's JSON API on the mock): a user's row id was an account id inside <c>"user"</c> and tokenized to
/// another number of the same length (5 → 1) in bodies, while <c>GET /users/5.json</c>, a later path and an issue's
/// <c>assigned_to</c> kept 5: a short number is replaced nowhere else. A client on the mock read 1, asked for
/// <c>/users/1.json</c> (the admin's real id) and every call after it missed. An id has one form in the whole stream: a
/// plain integer too short to be spread is kept everywhere, a longer one is tokenized everywhere.
/// </summary>
public sealed class RowNumberIdTests
{
    private static readonly Core.Model.Exchange[] RedmineUsers =
    [
        Testing.Exchanges.Send("POST", "http://rm.test/users.json", "{\"user\":{\"login\":\"jschmidt\",\"firstname\":\"Jonas\",\"lastname\":\"Schmidt\"}}", "{\"user\":{\"id\":5,\"login\":\"jschmidt\"}}", 201),
        Testing.Exchanges.Get("http://rm.test/users.json", "{\"users\":[{\"id\":5,\"login\":\"jschmidt\"},{\"id\":1,\"login\":\"admin\"}],\"total_count\":2}"),
        Testing.Exchanges.Get("http://rm.test/users/5.json", "{\"user\":{\"id\":5,\"login\":\"jschmidt\",\"firstname\":\"Jonas\"}}"),
        Testing.Exchanges.Send("POST", "http://rm.test/issues.json", "{\"issue\":{\"subject\":\"x\",\"assigned_to_id\":5}}", "{\"issue\":{\"id\":3,\"assigned_to\":{\"id\":5,\"name\":\"Jonas Schmidt\"},\"author\":{\"id\":1,\"name\":\"Redmine Admin\"}}}", 201),
    ];

    [Fact]
    public void AShortRowId_IsKeptInBodies_AsItIsInPaths()
    {
        var policy = Policies.Default;
        var redacted = RedmineUsers.Select(policy.Redact).ToArray();

        Assert.StartsWith("{\"user\":{\"id\":5,\"login\":\"tok_id_", Policies.ResponseText(redacted[0]), StringComparison.Ordinal);
        Assert.StartsWith("{\"users\":[{\"id\":5,\"login\":\"tok_id_", Policies.ResponseText(redacted[1]), StringComparison.Ordinal);
        Assert.Contains("{\"id\":1,\"login\":\"tok_id_", Policies.ResponseText(redacted[1]), StringComparison.Ordinal);
        Assert.Equal("http://rm.test/users/5.json", redacted[2].Request.Url);
        Assert.StartsWith("{\"user\":{\"id\":5,", Policies.ResponseText(redacted[2]), StringComparison.Ordinal);
        Assert.Contains("\"author\":{\"id\":1,", Policies.ResponseText(redacted[3]), StringComparison.Ordinal);
        Assert.DoesNotContain(redacted.SelectMany(e => e.Redactions), r => r.Location.EndsWith(".id", StringComparison.Ordinal));
        Assert.DoesNotContain(redacted, e => (e.Request.Body?.Text + Policies.ResponseText(e)).Contains("jschmidt", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"userId\":\"42\"}")]
    [InlineData("{\"customerId\":48213}")]
    [InlineData("{\"user\":{\"id\":5}}")]
    [InlineData("{\"account\":{\"id\":111111}}")]
    public void APlainIntegerTooShortToSpread_InAnIdField_IsNoAccountId(string json)
    {
        var redacted = Policies.Default.Redact(Policies.Json("{}", json));
        Assert.Equal(json, Policies.ResponseText(redacted));
        Assert.Empty(redacted.Redactions);
    }

    /// <summary>
    /// Review 14b: a field named as a number or a record (a customer number, a medical record number, a patient id) holds an
    /// identifier people are given and quote, whatever its length: still tokenized, only generic row ids are kept.
    /// </summary>
    [Theory]
    [InlineData("{\"customer_number\":48213}", "48213")]
    [InlineData("{\"account\":{\"number\":4821}}", "4821")]
    [InlineData("{\"mrn\":\"00042\"}", "00042")]
    [InlineData("{\"patientId\":7731}", "7731")]
    public void AShortNumber_InAFieldNamedAsANumberOrARecord_IsStillTokenized(string json, string raw)
    {
        var redacted = Policies.Default.Redact(Policies.Json("{}", json));
        Assert.DoesNotContain(raw, Policies.ResponseText(redacted), StringComparison.Ordinal);
        Assert.NotEmpty(redacted.Redactions);
    }

    /// <summary>Guards: a number long enough to spread is tokenized in the body and, with the same digits, in the path; ids with letters stay tokens.</summary>
    [Fact]
    public void ALongAccountNumber_IsTokenizedInTheBodyAndThePath_WithTheSameDigits()
    {
        var redacted = Policies.Default.Redact(Testing.Exchanges.Get("http://rm.test/customers/482131", "{\"customer\":{\"id\":482131}}"));
        var body = Policies.ResponseText(redacted);
        var digits = System.Text.RegularExpressions.Regex.Match(body, "\"id\":([0-9]+)").Groups[1].Value;

        Assert.Equal(6, digits.Length);
        Assert.NotEqual("482131", digits);
        Assert.Equal("http://rm.test/customers/" + digits, redacted.Request.Url);
    }

    [Theory]
    [InlineData("{\"customer\":{\"id\":\"C-77\"}}")]
    [InlineData("{\"username\":\"jdoe\"}")]
    [InlineData("{\"accountId\":\"-5\"}")]
    public void AnIdThatIsNotAPlainInteger_IsStillTokenized(string json)
    {
        var redacted = Policies.Default.Redact(Policies.Json("{}", json));
        Assert.Contains("tok_id_", Policies.ResponseText(redacted), StringComparison.Ordinal);
    }
}
