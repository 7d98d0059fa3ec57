using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;
using Reprise.Redaction.Engine;
using Reprise.Redaction.Tests.Corpus;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// After redacting a random stream in order, no secret, account id or email that was redacted in an earlier exchange
/// appears in a later one, raw or JSON-, percent-, form- or XML-encoded, in any case.
/// </summary>
public sealed class CarriedValuesPropertyTests
{
    [Fact]
    public void RandomStream_NoValueRedactedEarlier_AppearsInALaterExchange_InAnyForm()
    {
        Gen.Int.Sample(seed =>
        {
            var values = new CanaryValues(seed);
            var random = new Random(seed);
            var policy = Policies.Default; // a new stream per iteration (CsCheck runs iterations on several threads)
            var placed = new List<string>();
            var redactedEarlier = new List<string>();
            var count = random.Next(3, 8);
            for (var i = 0; i < count; i++)
            {
                // Values this exchange introduces in fields the default policy redacts.
                var introduced = new[] { values.Secret(), values.Email(), values.PersonName(), values.AccountId() };
                var response = $$"""{"sessionToken":{{Json(introduced[0])}},"contact":{"email":{{Json(introduced[1])}},"fullName":{{Json(introduced[2])}}},"customerId":{{Json(introduced[3])}}}""";

                // Values earlier exchanges introduced, echoed in places no detector looks at.
                string Echo() => placed.Count == 0 ? "nothing-yet" : placed[random.Next(placed.Count)];
                var (query, segment, header) = (Echo(), Echo(), Echo());
                var (bodyText, contentType) = random.Next(3) switch
                {
                    0 => ($$"""{"ref":{{Json(Echo())}},"note":{{Json("re: " + Echo() + ", thanks")}}}""", "application/json"),
                    1 => ("ref=" + Form(Echo()) + "&note=" + Form("re: " + Echo()), "application/x-www-form-urlencoded"),
                    _ => ($"<req><ref>{Xml(Echo())}</ref><note about=\"{Xml(Echo())}\">re {Xml(Echo())}</note></req>", "text/xml"),
                };
                var exchange = new Exchange
                {
                    Id = "e" + i,
                    StartedAt = DateTimeOffset.UnixEpoch.AddSeconds(i),
                    Request = new ExchangeRequest
                    {
                        Method = "POST",
                        Url = $"https://api.acme.test/things/{Uri.EscapeDataString(segment)}/items?ref={Uri.EscapeDataString(query)}&page=2",
                        Headers = [new("Content-Type", contentType), new("X-Ref", header)],
                        Body = ExchangeBody.FromText(bodyText, contentType),
                    },
                    Response = new ExchangeResponse { Status = 200, Headers = [new("Content-Type", "application/json")], Body = ExchangeBody.FromText(response, "application/json") },
                };

                var output = Encoding.UTF8.GetString(Reprise.Core.Recording.ExchangeJson.Serialize(policy.Redact(exchange)));
                foreach (var value in redactedEarlier)
                {
                    foreach (var form in Forms(value))
                    {
                        Assert.False(output.Contains(form, StringComparison.OrdinalIgnoreCase), $"exchange {i} holds '{form}' (a value redacted earlier) in {output}");
                    }
                }

                foreach (var (value, kept) in introduced.Select((v, k) => (v, k != 2)))
                {
                    placed.Add(value);
                    // Carried (secrets, account ids) or found wherever they are (emails): values the same-value pass spreads
                    // that this exchange did redact (not left raw). Names are not carried past their exchange.
                    if (kept && ValueSpread.Qualifies(value) && !Forms(value).Any(form => output.Contains(form, StringComparison.OrdinalIgnoreCase)))
                    {
                        redactedEarlier.Add(value);
                    }
                }
            }

            Assert.NotEmpty(redactedEarlier);
        }, iter: 150);
    }

    private static string Json(string value) => JsonSerializer.Serialize(value);

    private static string Form(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);

    private static string Xml(string value) => System.Security.SecurityElement.Escape(value);

    /// <summary>The value as a serialized recording may hold it: raw, JSON-escaped (default and relaxed encoders, inside the recording's own JSON too), percent-, form- and XML-encoded.</summary>
    private static IEnumerable<string> Forms(string value)
    {
        var json = JsonEncodedText.Encode(value, JavaScriptEncoder.Default).ToString();
        var relaxed = JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        return new[] { value, json, relaxed, Uri.EscapeDataString(value), Form(value), Xml(value), JsonEncodedText.Encode(Xml(value), JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(), JsonEncodedText.Encode(json, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString() }.Distinct(StringComparer.Ordinal);
    }
}
