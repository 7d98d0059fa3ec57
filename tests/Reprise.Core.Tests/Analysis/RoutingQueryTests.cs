using Reprise.Core.Analysis;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Analysis;

/// <summary>
/// QA rounds 12a and 12b: inspect showed Roundcube (<c>/?_task=mail&amp;_action=list</c>) and phpMyAdmin
/// (<c>/index.php?route=/sql</c>) as one endpoint, <c>GET /</c>, for every request; diff and the replay summary grouped
/// them the same way. A conventional routing parameter whose value names a route makes its own endpoint.
/// </summary>
public sealed class RoutingQueryTests
{
    [Theory]
    [InlineData("http://mail.test/?_task=mail&_action=list&_mbox=INBOX&_page=1&_remote=1", "_task=mail&_action=list")]
    [InlineData("http://pma.test/index.php?route=%2Fdatabase%2Fstructure&db=shop&server=1", "route=/database/structure")]
    [InlineData("http://wiki.test/api.php?action=query&list=allpages&format=json", "action=query")]
    [InlineData("http://maps.test/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=roads", "SERVICE=WMS&REQUEST=GetMap")]
    [InlineData("http://wp.test/wp-admin/admin.php?page=woocommerce-settings", "page=woocommerce-settings")]
    [InlineData("http://rss.test/backend.php?op=RPC&method=getAllCounters&seq=3", "op=RPC&method=getAllCounters")]
    public void RoutingParameters_NameTheRoute(string url, string expected) => Assert.Equal(expected, RoutingQuery.Of(url));

    [Theory]
    [InlineData("http://shop.test/orders?page=2&limit=50")] // a page number is pagination
    [InlineData("http://shop.test/orders?status=open&sort=-date")] // not routing names
    [InlineData("http://shop.test/jobs?task=3f2b8c1d-9a7e-4c21-b0d4-5e6f7a8b9c0d")] // an id
    [InlineData("http://shop.test/run?cmd=rm%20-rf%20%2Ftmp")] // free text
    [InlineData("http://shop.test/x?action=tok_id_q6bsexk6l7ba46ke")] // a redaction token
    [InlineData("http://shop.test/orders")]
    public void OtherQueries_NameNoRoute(string url) => Assert.Null(RoutingQuery.Of(url));

    [Fact]
    public void AFormPostedToOneScript_IsRoutedByItsBody_AQueryFirst()
    {
        var posted = Exchanges.Send("POST", "http://wp.test/wp-admin/admin-ajax.php", "{}");
        var ajax = posted with
        {
            Request = posted.Request with
            {
                Headers = [new("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")],
                Body = Core.Model.ExchangeBody.FromText("_nonce=a1b2&action=heartbeat&interval=60", "application/x-www-form-urlencoded"),
            },
        };
        var json = Exchanges.Send("POST", "http://api.test/jobs", """{"action":"start"}""");

        Assert.Equal("POST /wp-admin/admin-ajax.php (action=heartbeat)", EndpointKey.Of(ajax).ToString());
        Assert.Equal("action=save", RoutingQuery.Of((ajax.Request with { Url = "http://wp.test/wp-admin/admin-ajax.php?action=save" })));
        Assert.Equal("POST /jobs (action=start)", EndpointKey.Of(json).ToString()); // a command posted as JSON is routed too
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"auth.login","params":["secret"],"id":1}""", "POST /json (method=auth.login)")]
    [InlineData("""{"params":{"op":"x"},"sid":"abc","op":"getHeadlines","feed_id":-4}""", "POST /json (op=getHeadlines)")]
    [InlineData("""{"method":"GET","url":"/x"}""", "POST /json (method=GET)")]
    [InlineData("""{"id":7,"name":"Jonas"}""", "POST /json")]
    [InlineData("""[{"method":"a.b"}]""", "POST /json")]
    [InlineData("""{"method":"auth.login",""", "POST /json (method=auth.login)")]
    [InlineData("""{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"method":"late"}""", "POST /json")] // only the first 8 members are read
    public void AJsonObjectPostedToOneEndpoint_IsRoutedByItsTopLevelMembers(string body, string expected) =>
        Assert.Equal(expected, EndpointKey.Of(Exchanges.Send("POST", "http://rpc.test/json", body)).ToString());

    [Fact]
    public async Task Inspect_GroupsAQueryRoutedApplication_ByRoute()
    {
        var exchanges = new[]
        {
            Exchanges.Get("http://mail.test/?_task=mail&_action=list&_page=1"),
            Exchanges.Get("http://mail.test/?_task=mail&_action=list&_page=2"),
            Exchanges.Get("http://mail.test/?_task=mail&_action=show&_uid=7"),
            Exchanges.Get("http://mail.test/?_task=settings"),
        };

        var report = await new InspectSink().ConsumeAsync(exchanges.ToAsyncEnumerable(), TestContext.Current.CancellationToken);

        Assert.Equal(
            ["GET / (_task=mail&_action=list) 2", "GET / (_task=mail&_action=show) 1", "GET / (_task=settings) 1"],
            report.Endpoints.Select(e => $"{e.Method} {e.Template} ({e.Operation}) {e.Count}").Order(StringComparer.Ordinal));
        Assert.Equal("GET / (_task=mail&_action=show)", EndpointKey.Of(exchanges[2]).ToString());
    }
}
