using Reprise.Core.Model;
using Reprise.Diff.Engine;
using Reprise.Diff.Gate;
using Reprise.Diff.Model;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Engine;

/// <summary>node-soap (and other stacks) answer a SOAP Fault with HTTP 200: that is an error of kind <c>soap-fault</c>.</summary>
public sealed class SoapFaultTests
{
    private const string Ok = """<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetCustomerResponse xmlns="urn:c"><id>2</id><note>no Fault here</note></GetCustomerResponse></soap:Body></soap:Envelope>""";
    private const string Fault = """<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>no such customer 4</faultstring></soap:Fault></soap:Body></soap:Envelope>""";
    private const string Fault12 = """<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Header/><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code></env:Fault></env:Body></env:Envelope>""";

    private static Exchange Soap(string id, string response, bool result = false, string? of = null)
    {
        var exchange = Exchanges.Get("http://svc.test/customer", id: id);
        exchange = exchange with
        {
            Request = exchange.Request with { Method = "POST" },
            Response = exchange.Response! with { Headers = [new HeaderField("Content-Type", "text/xml; charset=utf-8")], Body = ExchangeBody.FromText(response, "text/xml; charset=utf-8") },
        };
        return result ? exchange with { Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, of!).Add(WellKnownTags.ReplayRun, "cand") } : exchange;
    }

    [Fact]
    public async Task FaultsAnsweredWith200_AreNewErrorsOfKindSoapFault()
    {
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [Soap("r1", Ok), Soap("r2", Ok), Soap("r3", Fault)]);
        await Exchanges.WriteRecordingAsync(dir.File("cand.reprise.jsonl"), [Soap("c1", Fault, true, "r1"), Soap("c2", Fault12, true, "r2"), Soap("c3", Fault, true, "r3")]);
        var options = new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("cand.reprise.jsonl"), Gate = GateExpression.Parse("errors > 0") };

        var report = await new DiffEngine(options).RunAsync(TestContext.Current.CancellationToken);

        // r3 was a fault in the recording too: not new.
        Assert.Equal(2, report.Variables["errors"]);
        Assert.Equal(2, report.ErrorsByKind[ErrorClass.SoapFault]);
        Assert.True(report.Failed);
    }
}
