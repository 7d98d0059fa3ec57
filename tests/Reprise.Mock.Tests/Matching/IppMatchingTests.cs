using Reprise.Core.Model;
using Reprise.Mock.Matching;
using Reprise.Testing;
using Xunit;
using static Reprise.Testing.Ipp;

namespace Reprise.Mock.Tests.Matching;

/// <summary>
/// QA11b (CUPS): every IPP operation is a binary POST to <c>/</c> or <c>/printers/NAME</c>, whole-body digests that only
/// matched byte for byte; the body names the address the client used (<c>printer-uri ipp://127.0.0.1:8741/…</c>, the
/// recorder's port; the mock's is another), so no call matched and the nearest tier served <c>lp</c> another operation's
/// answer ("The printer or class does not exist"). An IPP body is matched by its operation and attributes.
/// </summary>
public sealed class IppMatchingTests
{

    private static byte[] PrintJob(int requestId, string printerUri, string jobName) =>
    [
        0x02, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, (byte)requestId,
        0x01,
        .. Attribute(0x47, "attributes-charset", "utf-8"),
        .. Attribute(0x45, "printer-uri", printerUri),
        .. Attribute(0x42, "job-name", jobName),
        0x03,
        .. "Hello printer\n"u8.ToArray(),
    ];

    private static Exchange Recorded(byte[] body, string answer, int offsetMs)
    {
        var exchange = MockFixtures.Send("POST", "http://127.0.0.1:8631/printers/office", "", answer, contentType: "application/ipp", offsetMs: offsetMs);
        return exchange with { Request = exchange.Request with { Body = ExchangeBody.FromBytes(body, "application/ipp") } };
    }

    private static RequestShape Live(byte[] body) =>
        RequestShaper.Shape("POST", "127.0.0.1:8751", "/printers/office", default, "application/ipp", null, null, body);

    [Fact]
    public void APrintJob_ToAnotherAddressWithAnotherRequestId_MatchesExactly_AnotherJobDoesNot()
    {
        var index = MockFixtures.Index([
            Recorded(PrintJob(3, "ipp://127.0.0.1:8741/printers/office", "Payroll"), """{"job":1}""", 0),
            Recorded(PrintJob(4, "ipp://127.0.0.1:8741/printers/office", "Contract"), """{"job":2}""", 5),
        ], new MockIndexOptions { Key = KeyPolicy.Exact });

        var contract = index.Match(Live(PrintJob(9, "ipp://127.0.0.1:8751/printers/office", "Contract")));
        Assert.Equal(MatchTier.Exact, contract.Tier);
        Assert.Equal("""{"job":2}""", contract.Entry!.Exchange.Response!.Body!.Text);
        Assert.Null(index.Match(Live(PrintJob(9, "ipp://127.0.0.1:8751/printers/office", "Invoice"))).Entry);
    }

    /// <summary>ipptool picks a random request id and rejects an answer holding another ("Bad request ID 91654 in response").</summary>
    [Fact]
    public async Task TheServedAnswer_CarriesTheLiveRequestId()
    {
        byte[] answer = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x66, 0x06, 0x01, .. Attribute(0x47, "attributes-charset", "utf-8"), 0x03];
        var recorded = Recorded(PrintJob(3, "ipp://127.0.0.1:8741/printers/office", "Payroll"), "{}", 0);
        recorded = recorded with
        {
            Response = recorded.Response! with { Headers = [new("Content-Type", "application/ipp")], Body = ExchangeBody.FromBytes(answer, "application/ipp") },
        };
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded]);
        await using (server)
        {
            using var content = new ByteArrayContent(PrintJob(0x2A, "ipp://127.0.0.1:8751/printers/office", "Payroll"));
            content.Headers.ContentType = new("application/ipp");
            using var response = await client.PostAsync("/printers/office", content, TestContext.Current.CancellationToken);
            var served = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            Assert.Equal(answer.Length, served.Length);
            Assert.Equal(new byte[] { 0, 0, 0, 0x2A }, served[4..8]);
            Assert.Equal(answer[8..], served[8..]);
        }
    }
}
