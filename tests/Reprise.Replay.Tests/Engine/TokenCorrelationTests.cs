using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// With the default policy a created customer's id is tokenized (<c>tok_id_…</c>) in the create response and in
/// every later request that uses it. The token names that one value, so it is paired with the id the target
/// issues now, like an unredacted id; masks and format-preserving numbers still never are.
/// </summary>
public sealed class TokenCorrelationTests
{
    private const string Token = "tok_id_k6tadguhigga3mq7";

    [Fact]
    public async Task TokenizedCreatedId_InJson_ReachesThePathAndBodyOfLaterRequestsAsTheNewId()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/customers", () => HttpResults.Json(new { customerId = "C-1001" }, statusCode: 201));
            app.MapGet("/customers/{id}", (string id) => HttpResults.Json(new { customerId = id }));
        });
        var create = Recorded.Request("POST", "/customers", 0, session: "c", body: """{"name":"tok_name_o6bccl3sjvjoweya"}""", responseBody: $$"""{"customerId":"{{Token}}"}""", status: 201)
            with { Redactions = [new Redaction("response.body:$.customerId", "account-id", "tokenize")] };
        var read = Recorded.Request("GET", "/customers/" + Token, 0.1, session: "c", responseBody: $$"""{"customerId":"{{Token}}"}""");
        var order = Recorded.Request("POST", "/orders", 0.2, session: "c", body: $$"""{"customerId":"{{Token}}","sku":"A-1"}""", responseBody: "{}");

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([create, read, order]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("/customers/C-1001", sent[1].PathAndQuery);
        Assert.Contains("\"customerId\":\"C-1001\"", sent[2].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenizedCreatedId_InSoap_ReachesTheNextEnvelope()
    {
        const string envelope = """<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{0}</soap:Body></soap:Envelope>""";
        await using var target = await CountingTarget.StartAsync(app => app.MapPost("/customer", async context =>
        {
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync(envelope.Replace("{0}", """<CreateCustomerResponse xmlns="urn:c"><id>2</id></CreateCustomerResponse>""", StringComparison.Ordinal));
        }));
        Exchange Soap(double at, string request, string response) => Recorded.Request("POST", "/customer", at, session: "c") is var e
            ? e with
            {
                Request = e.Request with { Body = ExchangeBody.FromText(envelope.Replace("{0}", request, StringComparison.Ordinal), "text/xml") },
                Response = e.Response! with { Headers = [new HeaderField("Content-Type", "text/xml")], Body = ExchangeBody.FromText(envelope.Replace("{0}", response, StringComparison.Ordinal), "text/xml") },
                Redactions = [new Redaction("response.body:/Envelope/Body/CreateCustomerResponse/id", "account-id", "tokenize")],
            }
            : null!;
        var create = Soap(0, """<CreateCustomerRequest xmlns="urn:c"><name>tok_name_6r7rd3nbcibrxkox</name><password>*******</password></CreateCustomerRequest>""", $"""<CreateCustomerResponse xmlns="urn:c"><id>{Token}</id></CreateCustomerResponse>""");
        var get = Soap(0.1, $"""<GetCustomerRequest xmlns="urn:c"><customerId>{Token}</customerId></GetCustomerRequest>""", "<GetCustomerResponse xmlns=\"urn:c\"/>");

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([create, get]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Contains("<customerId>2</customerId>", sent[1].Body, StringComparison.Ordinal);
        Assert.Contains("<password>*******</password>", sent[0].Body, StringComparison.Ordinal); // a mask is sent as recorded
    }
}
