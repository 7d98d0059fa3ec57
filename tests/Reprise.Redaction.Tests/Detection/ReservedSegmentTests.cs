using System.Text.Json;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

/// <summary>
/// QA round 11a (pouchdb-server, the CouchDB API): <c>POST /customers/_bulk_docs</c> with
/// <c>{"docs":[{"name":"Ana Lima","email":…}]}</c> kept the name raw: the request's resource was read as
/// <c>_bulk_docs</c>, not <c>customers</c> (and so for <c>_all_docs</c> and <c>_changes</c>), so a bare <c>name</c> there was
/// not a person's. A segment starting with '_' or '$' is an operation on the resource before it.
/// </summary>
public sealed class ReservedSegmentTests
{
    private static string NameAfter(string url, string body)
    {
        var exchange = Testing.Exchanges.Send("POST", url, body, "{}", id: "r1");
        using var json = JsonDocument.Parse(Policies.RequestText(Policies.Default.Redact(exchange)));
        return json.RootElement.GetProperty("docs")[0].GetProperty("name").GetString()!;
    }

    [Theory]
    [InlineData("http://couch.test/customers/_bulk_docs")]
    [InlineData("http://couch.test/customers/_all_docs?include_docs=true")]
    [InlineData("http://es.test/customers/_search")]
    [InlineData("http://odata.test/Customers/$batch")]
    public void AReservedSegment_NamesAnOperationOnTheResourceBeforeIt(string url)
    {
        Assert.StartsWith("tok_name_", NameAfter(url, """{"docs":[{"_id":"cust-1002","name":"Ana Lima"}]}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void TheResourceBeforeIt_StillDecides()
    {
        Assert.Equal("Garden Chair", NameAfter("http://couch.test/products/_bulk_docs", """{"docs":[{"_id":"p-1","name":"Garden Chair"}]}"""));
    }
}
