using System.Text.Json;
using System.Text.RegularExpressions;
using Reprise.Core.Recording;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests;

/// <summary>
/// Review of 77701a0..5ea05dc (rv10): the tests with a comment fail on 5ea05dc and show one defect each; the
/// redact-twice tests pass there and guard the idempotency of inline integers (GraphQL text, plain text, -, 007, 19 digits).
/// </summary>
public sealed class ReviewFindings10
{
    private static Exchange GraphQl(string query, string responseText, string responseType = "text/plain") =>
        Policies.Json(JsonSerializer.Serialize(new { query })) with
        {
            Response = new ExchangeResponse { Status = 200, Headers = [new("Content-Type", responseType)], Body = ExchangeBody.FromText(responseText, responseType) },
        };

    private static string Query(Exchange exchange)
    {
        using var document = JsonDocument.Parse(Policies.RequestText(exchange));
        return document.RootElement.GetProperty("query").GetString()!;
    }

    [Fact]
    public void InlineInteger_RedactedTwice_SameAsOnce()
    {
        var exchange = GraphQl("{ customer(customerId: 778812) { name } }", "customerId=778812\n");
        var policy = Policies.Default;

        var once = policy.Redact(exchange);
        var twice = policy.Redact(once);
        var fresh = Policies.Default.Redact(once);

        Assert.Equal(ExchangeJson.Serialize(once), ExchangeJson.Serialize(twice));
        Assert.Equal(ExchangeJson.Serialize(once), ExchangeJson.Serialize(fresh));
    }

    // 0c03bd3 replaces the inline integer by keyed digits but records the redaction without its replacement, so the
    // same-value pass computes its own (a tok_id_ token) for the same id echoed elsewhere in the exchange: the id in the
    // query and the id the response echoes no longer correlate. A JSON number records its digits (JsonBodyRedactor).
    [Fact]
    public void InlineInteger_EchoedInTheResponseText_GetsTheSameDigits()
    {
        var exchange = GraphQl("{ customer(customerId: 778812) { name } }", "no customer with id 778812 was found");

        var redacted = Policies.Default.Redact(exchange);

        var digits = Regex.Match(Query(redacted), @"customerId: (\d+)").Groups[1].Value;
        Assert.NotEqual("778812", digits);
        Assert.DoesNotContain("778812", Policies.ResponseText(redacted), StringComparison.Ordinal);
        Assert.Equal($"no customer with id {digits} was found", Policies.ResponseText(redacted));
    }

    [Fact]
    public void InlineInteger_EchoedInAJsonString_GetsTheSameDigitsAsText()
    {
        var exchange = GraphQl("{ customer(customerId: 778812) { name } }", """{"errors":[{"message":"customer 778812 not found"}]}""", "application/json");

        var redacted = Policies.Default.Redact(exchange);

        var digits = Regex.Match(Query(redacted), @"customerId: (\d+)").Groups[1].Value;
        Assert.DoesNotContain("778812", Policies.ResponseText(redacted), StringComparison.Ordinal);
        Assert.Contains($"customer {digits} not found", Policies.ResponseText(redacted), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("customerId: 778812\n")]
    [InlineData("customerId=778812&x=1")]
    [InlineData("user_id: -778812)")]
    [InlineData("customerId: 0077881")]
    [InlineData("customerId: 1234567890123456789")]
    public void PlainText_KeyedInteger_RedactedTwice_SameAsOnce(string text)
    {
        var exchange = Policies.Json("{}") with
        {
            Request = new ExchangeRequest { Method = "POST", Url = "https://api.acme.test/v1/things", Headers = [new("Content-Type", "text/plain")], Body = ExchangeBody.FromText(text, "text/plain") },
        };
        var once = Policies.Default.Redact(exchange);
        var twice = Policies.Default.Redact(once);

        Assert.DoesNotContain("778812", Policies.RequestText(once), StringComparison.Ordinal);
        Assert.Equal(Policies.RequestText(once), Policies.RequestText(twice));
    }

    private static readonly Reprise.Redaction.Policy.RedactionPolicy Faking = Policies.FromYaml("""
        name: faking
        detectors:
          email: fake
          phone: fake
          card-number: fake
          person-name: fake
          account-id: tokenize
        """);

    // 0c03bd3 turns a faked inline integer into keyed digits for every kind. A faked card gets a public test number
    // (known to be nobody's, Luhn-valid) everywhere else, and that is itself an integer: the inline card became random
    // digits (a real card's number one time in ten), not the test card its echo in the same exchange got.
    [Fact]
    public void FakedCard_InlineInteger_GetsTheTestCardItsEchoGets()
    {
        var redacted = Faking.NewStream().Redact(GraphQl("{ pay(card: 4539148803436467) { ok } }", "charged 4539148803436467 ok"));

        var card = Regex.Match(Query(redacted), @"card: (\d+)").Groups[1].Value;
        Assert.Equal($"charged {card} ok", Policies.ResponseText(redacted));
        Assert.Contains(card, Reprise.Redaction.Actions.ValueRewriter.TestCards);
    }

    [Theory]
    [InlineData("{ call(phone: 4155552671) { ok } }")]
    [InlineData("{ call(phone:\t4155552671) { ok } }")]
    public void FakedPhone_InlineInteger_GetsTheReservedFake_NotRandomDigits(string query)
    {
        // Keyed digits for a faked phone (or SSN) could be somebody's real number; its fake is a reserved 555-01xx one.
        var policy = Policies.FromYaml("""
            detectors:
              phone-field: fake
            """);

        var text = Query(policy.NewStream().Redact(GraphQl(query, "ok")));

        Assert.DoesNotContain("4155552671", text, StringComparison.Ordinal);
        Assert.Matches("555-01[0-9]{2}", text);
    }

    [Fact]
    public void InlineInteger_AfterATab_IsStillAnInteger()
    {
        var text = Query(Policies.Default.NewStream().Redact(GraphQl("{ customer(customerId:\t42) { name } }", "ok")));

        Assert.Matches(@"customerId:\t[1-9][0-9]\)", text);
    }

    [Fact]
    public void FakedCard_JsonNumber_GetsTheTestCardItsEchoGets()
    {
        var exchange = Policies.Json("""{"card":4539148803436467}""") with
        {
            Response = new ExchangeResponse { Status = 200, Headers = [new("Content-Type", "text/plain")], Body = ExchangeBody.FromText("charged 4539148803436467 ok", "text/plain") },
        };

        var redacted = Faking.NewStream().Redact(exchange);

        using var document = JsonDocument.Parse(Policies.RequestText(redacted));
        var card = document.RootElement.GetProperty("card").GetRawText();
        Assert.Equal($"charged {card} ok", Policies.ResponseText(redacted));
    }

    // 0c03bd3 keeps an inline integer an integer "so an Int argument still takes it", but keyed digits of the same length
    // overflow the type the value fitted: 1,000,000,001..1,000,000,008 are GraphQL Ints (32-bit), and most of their
    // 10-digit replacements (any starting 3-9) are not, so the server rejects the replayed query. The same for JSON numbers.
    [Fact]
    public void InlineInteger_ThatFitsAnInt32_StaysAnInt32()
    {
        for (var id = 1_000_000_001L; id <= 1_000_000_008L; id++)
        {
            var redacted = Policies.Default.Redact(GraphQl($"{{ customer(customerId: {id}) {{ name }} }}", "ok"));
            var digits = Regex.Match(Query(redacted), @"customerId: (\d+)").Groups[1].Value;
            Assert.NotEqual(id.ToString(System.Globalization.CultureInfo.InvariantCulture), digits);
            Assert.True(long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) <= int.MaxValue, $"{id} -> {digits}");
        }
    }

    [Fact]
    public void JsonNumber_ThatFitsAnInt64_StaysAnInt64()
    {
        for (var id = 9_000_000_000_000_000_001L; id <= 9_000_000_000_000_000_008L; id++)
        {
            var redacted = Policies.Default.Redact(Policies.Json($$"""{"customerId":{{id}}}"""));
            using var document = JsonDocument.Parse(Policies.RequestText(redacted));
            Assert.True(document.RootElement.GetProperty("customerId").TryGetInt64(out _), Policies.RequestText(redacted));
        }
    }
}
