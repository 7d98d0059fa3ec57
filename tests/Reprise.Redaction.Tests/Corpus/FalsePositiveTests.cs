using System.Text.Json.Nodes;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Corpus;

public sealed class FalsePositiveTests(ITestOutputHelper output)
{
    /// <summary>
    /// Every value in the clean corpus is non-sensitive, so every redaction is a false positive. The bound
    /// (0.5% of values, 2% of exchanges) keeps recordings replayable: a masked value in a request that the
    /// target validates breaks replay, so false positives cost test fidelity, not safety. The residual rate
    /// is by design: a random 16-digit reference with a card prefix passes Luhn one time in ten and is
    /// masked, because telling it from a card number is impossible without the field's meaning (add an
    /// allow rule for such fields instead).
    /// </summary>
    [Fact]
    public void CleanCorpus_DefaultPolicy_FalsePositiveRateUnderBound()
    {
        var corpus = CleanCorpus.Build();
        long values = 0;
        long redactions = 0;
        var exchangesHit = 0;
        var examples = new List<string>();
        var policy = Policies.Default; // the corpus as one stream: what a value redacted early carries to later exchanges counts too
        foreach (var exchange in corpus)
        {
            values += CountValues(exchange);
            var redacted = policy.Redact(exchange);
            redactions += redacted.Redactions.Length;
            if (redacted.Redactions.Length > 0)
            {
                exchangesHit++;
                examples.AddRange(redacted.Redactions.Select(r => $"{exchange.Id} {r.Location} {r.Rule}"));
            }
        }

        var valueRate = (double)redactions / values;
        var exchangeRate = (double)exchangesHit / corpus.Count;
        output.WriteLine($"clean corpus: {corpus.Count} exchanges, {values} values, {redactions} false positives: {valueRate:P3} of values, {exchangeRate:P2} of exchanges");
        foreach (var example in examples.Take(20))
        {
            output.WriteLine("  FP " + example);
        }

        Assert.True(values > 10_000, $"corpus too small: {values} values");
        Assert.True(valueRate < 0.005, $"false-positive rate {valueRate:P3} of values");
        Assert.True(exchangeRate < 0.02, $"false positives in {exchangeRate:P2} of exchanges");
    }

    [Fact]
    public void NamedThings_DefaultPolicy_NothingRedacted()
    {
        // Products, categories, organisations, tags, files and order lines have a bare "name" too: the request's
        // resource and the object's siblings must not make them people.
        var hits = new List<string>();
        foreach (var exchange in CleanCorpus.NamedThings())
        {
            foreach (var redaction in Policies.Default.Redact(exchange).Redactions)
            {
                hits.Add($"{exchange.Request.Method} {exchange.Request.Url} {redaction.Location} {redaction.Rule}");
            }
        }

        foreach (var hit in hits.Take(20))
        {
            output.WriteLine("FP " + hit);
        }

        Assert.Empty(hits);
    }

    /// <summary>
    /// QA round 7: Prometheus' <c>/api/v1/status/tsdb</c> lists label names under <c>labelValueCountByLabelName</c>;
    /// the parent ends in "name", so every <c>name</c> in it (instance, handler, job) was tokenized as a person's,
    /// and the diff of an unchanged Prometheus showed tokens. A person's name object (<c>name</c>, <c>fullName</c>,
    /// <c>customerName</c> holding <c>first</c>/<c>last</c>) still is one.
    /// </summary>
    [Fact]
    public void NameUnderAThingsNameParent_NotAPerson_PersonsNameObjectsStillAre()
    {
        var tsdb = Testing.Exchanges.Get("http://127.0.0.1:9090/api/v1/status/tsdb",
            """{"status":"success","data":{"labelValueCountByLabelName":[{"name":"instance","value":9},{"name":"handler","value":70}],"seriesCountByMetricName":[{"name":"prometheus_http_requests_total","value":30}],"memoryInBytesByLabelName":[{"name":"quantile","value":43}]}}""");

        var things = Policies.Default.Redact(tsdb);

        Assert.Empty(things.Redactions.Select(r => r.Location + " " + r.Rule));

        foreach (var parent in new[] { "name", "fullName", "customerName" })
        {
            var person = Policies.Default.Redact(Policies.Json("{}", "{\"" + parent + "\":{\"first\":\"Margaret\",\"last\":\"Hollingsworth\"}}"));
            Assert.DoesNotContain("Margaret", Policies.ResponseText(person), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PersonAdjacentThings_OnlyThePersonTokenized()
    {
        var hits = new List<string>();
        var text = new System.Text.StringBuilder();
        foreach (var exchange in CleanCorpus.PersonAdjacentThings())
        {
            var redacted = Policies.Default.Redact(exchange);
            text.Append(Policies.ResponseText(redacted)).Append('\n');
            hits.AddRange(redacted.Redactions.Where(r => r.Rule == "person-name").Select(r => $"{exchange.Request.Url} {r.Location}"));
        }

        output.WriteLine(text.ToString());
        Assert.Equal(["http://api.acme.test/api/orders/81 response.body:$.customer.name", "http://api.acme.test/api/companies/9 response.body:$.ownerName"], hits.Select(h => h[h.IndexOf("/api/", StringComparison.Ordinal)..]).Select(h => "http://api.acme.test" + h));
        foreach (var thing in new[] { "Blue Widget", "Gift Wrap", "Golden Dragon Bistro", "Northwind Freight", "Blue Harbor Studio", "Market Volatility", "Realtek Audio Driver", "Bose SoundLink Flex", "Maintenance Window", "Production Profile" })
        {
            Assert.Contains("\"" + thing + "\"", text.ToString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Ann Lee", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CleanCorpus_DefaultPolicy_NoPersonNames()
    {
        var hits = CleanCorpus.Build().SelectMany(e => Policies.Default.Redact(e).Redactions.Where(r => r.Rule == "person-name").Select(r => $"{e.Request.Url} {r.Location}")).ToList();
        foreach (var hit in hits.Take(20))
        {
            output.WriteLine("FP " + hit);
        }

        Assert.Empty(hits);
    }

    private static long CountValues(Exchange exchange)
    {
        long n = exchange.Request.Headers.Length + exchange.Response!.Headers.Length + 1 + Core.Protocols.QueryString.Parse(UrlParts.Query(exchange.Request.Url)).Count;
        foreach (var body in new[] { exchange.Request.Body, exchange.Response.Body })
        {
            if (body is null)
            {
                continue;
            }

            var type = body.MediaType ?? string.Empty;
            if (type.Contains("json", StringComparison.Ordinal))
            {
                n += Leaves(JsonNode.Parse(body.Text));
            }
            else if (type.Contains("form", StringComparison.Ordinal))
            {
                n += body.Text.Split('&').Length;
            }
            else if (type.Contains("xml", StringComparison.Ordinal))
            {
                n += System.Xml.Linq.XDocument.Parse(body.Text).Descendants().Count(e => !e.HasElements);
            }
            else
            {
                n += body.Text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Length;
            }
        }

        return n;
    }

    private static long Leaves(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Sum(p => Leaves(p.Value)),
        JsonArray array => array.Sum(Leaves),
        _ => 1,
    };
}
