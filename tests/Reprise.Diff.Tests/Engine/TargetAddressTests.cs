using Reprise.Core.Model;
using Reprise.Diff.Engine;
using Reprise.Diff.Model;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Engine;

/// <summary>
/// QA3 (json-server): an unchanged app replayed on another port failed diff on its absolute Location and Link
/// headers, which name the address the app was called on. The target's address in place of the recorded service's
/// is noise; any other change in the same value is still a difference.
/// </summary>
public sealed class TargetAddressTests
{
    private static Exchange WithHeader(Exchange exchange, string name, string value) =>
        exchange with { Response = exchange.Response! with { Headers = exchange.Response.Headers.Add(new HeaderField(name, value)) } };

    private static Exchange Result(Exchange exchange, string id, string? correlated = null)
    {
        return exchange with { Id = "c-" + id, Tags = DiffRun.ResultTags(id, correlated) };
    }

    [Fact]
    public async Task AbsoluteUrlsNamingTheTarget_AreNoise_AlsoWithACorrelatedId()
    {
        const string Link = "<http://127.0.0.1:8820/customers?_page=2&_limit=2>; rel=\"next\"";
        var recorded = new[]
        {
            WithHeader(Exchanges.Send("POST", "http://127.0.0.1:8820/customers", "{}", """{"id":4}""", id: "r1"), "Location", "http://127.0.0.1:8820/customers/4"),
            WithHeader(Exchanges.Get("http://127.0.0.1:8820/customers?_page=1&_limit=2", """{"self":"http://127.0.0.1:8820/customers"}""", id: "r2"), "Link", Link),
        };
        var results = new[]
        {
            Result(WithHeader(Exchanges.Send("POST", "http://127.0.0.1:8821/customers", "{}", """{"id":5}""", id: "x"), "Location", "http://127.0.0.1:8821/customers/5"), "r1", "4=5"),
            Result(WithHeader(Exchanges.Get("http://127.0.0.1:8821/customers?_page=1&_limit=2", """{"self":"http://127.0.0.1:8821/customers"}""", id: "y"), "Link", Link.Replace("8820", "8821", StringComparison.Ordinal)), "r2"),
        };

        var report = await DiffRun.RunAsync(recorded, results);

        Assert.Equal(0, report.Variables["diffs"]);
        Assert.Contains(report.Noise, n => n.Source == "target address" && n.Location == "header:link");
        Assert.Contains(report.Noise, n => n.Source == "target address" && n.Location == "body:$.self");
        Assert.Contains(report.Noise, n => n.Source == "correlation" && n.Location == "header:location");
    }

    /// <summary>
    /// QA round 8 (OCI registry behind 'record --upstream'): the recorder rewrites a Location naming the upstream to
    /// its own listener (the client's Host), so the recording's Location names neither the recorded URL's origin nor
    /// the target; every upload step of an unchanged registry differed in header:location.
    /// </summary>
    [Fact]
    public async Task LocationNamingTheRecordersListener_TheClientsHost_IsTheTargetAddressToo()
    {
        static Exchange Through(Exchange e, string host) =>
            e with { Request = e.Request with { Headers = e.Request.Headers.Without("Host").Add(new HeaderField("Host", host)) } };
        var recorded = new[]
        {
            Through(WithHeader(Exchanges.Send("POST", "http://127.0.0.1:5001/v2/uploads/", "{}", "{}", id: "r1"), "Location", "http://127.0.0.1:6001/v2/uploads/9f?x=1"), "127.0.0.1:6001"),
            Through(WithHeader(Exchanges.Send("POST", "http://127.0.0.1:5001/v2/other/", "{}", "{}", id: "r2"), "Location", "http://127.0.0.1:6001/v2/other/1"), "127.0.0.1:6001"),
        };
        var results = new[]
        {
            Result(WithHeader(Exchanges.Send("POST", "http://127.0.0.1:5002/v2/uploads/", "{}", "{}", id: "x"), "Location", "http://127.0.0.1:5002/v2/uploads/9f?x=1"), "r1"),
            Result(WithHeader(Exchanges.Send("POST", "http://127.0.0.1:5002/v2/other/", "{}", "{}", id: "y"), "Location", "http://127.0.0.1:5002/v2/other/2"), "r2"),
        };

        var report = await DiffRun.RunAsync(recorded, results);

        Assert.Equal(1, report.Variables["diffs"]); // /v2/other/1 -> 2 is a real change
        Assert.Contains(report.Noise, n => n.Source == "target address" && n.Location == "header:location");
    }

    /// <summary>
    /// QA round 13b (Tiny Tiny RSS's login page, replayed against a second instance): the form posts to
    /// <c>public.php?return=http%3A%2F%2F127.0.0.1%3A8080%2F</c>, the address the page was reached at as a percent-encoded
    /// query value (as OAuth's <c>redirect_uri</c> and many <c>?next=</c> are). Plain, it was already the target's address;
    /// encoded, each page differed. A changed path inside it is still a difference.
    /// </summary>
    [Fact]
    public async Task TheTargetAddressPercentEncoded_IsNoiseToo()
    {
        static Exchange Page(string url, string id, string returnTo) =>
            Exchanges.Get(url, "<form action=\"public.php?return=" + returnTo + "\" method=\"POST\">", id: id);
        var recorded = new[]
        {
            Page("http://127.0.0.1:8080/", "r1", "http%3A%2F%2F127.0.0.1%3A8080%2F"),
            Page("http://127.0.0.1:8080/index.php", "r2", "http%3a%2f%2f127.0.0.1%3a8080%2Findex.php"),
            Page("http://127.0.0.1:8080/prefs.php", "r3", "http%3A%2F%2F127.0.0.1%3A8080%2Fprefs.php"),
        };
        var results = new[]
        {
            Result(Page("http://127.0.0.1:8081/", "x", "http%3A%2F%2F127.0.0.1%3A8081%2F"), "r1"),
            Result(Page("http://127.0.0.1:8081/index.php", "y", "http%3A%2F%2F127.0.0.1%3A8081%2Findex.php"), "r2"),
            Result(Page("http://127.0.0.1:8081/prefs.php", "z", "http%3A%2F%2F127.0.0.1%3A8081%2Fother.php"), "r3"),
        };

        var report = await DiffRun.RunAsync(recorded, results);

        Assert.Equal(1, report.Variables["diffs"]); // prefs.php -> other.php is a real change
        Assert.Contains(report.Noise, n => n.Source == "target address");
    }

    [Fact]
    public async Task ANewAddressContainingTheOldOne_IsReplacedOnce()
    {
        // localhost -> localhost:8080: replacing the origin and then the authority gave localhost:8080:8080.
        var recorded = new[] { WithHeader(Exchanges.Get("http://localhost/orders", "{}", id: "r1"), "Location", "http://localhost/orders/7") };
        var results = new[] { Result(WithHeader(Exchanges.Get("http://localhost:8080/orders", "{}", id: "x"), "Location", "http://localhost:8080/orders/7"), "r1") };

        var report = await DiffRun.RunAsync(recorded, results);

        Assert.Equal(0, report.Variables["diffs"]);
        Assert.Contains(report.Noise, n => n.Source == "target address" && n.Location == "header:location");
    }

    [Fact]
    public async Task AnotherChangeBesideTheAddress_IsStillADifference()
    {
        var recorded = new[]
        {
            WithHeader(Exchanges.Get("http://127.0.0.1:8820/customers/4", "{}", id: "r1"), "Location", "http://127.0.0.1:8820/customers/4"),
            WithHeader(Exchanges.Get("http://127.0.0.1:8820/a", "{}", id: "r2"), "Location", "http://127.0.0.1:8820/a"),
        };
        var results = new[]
        {
            Result(WithHeader(Exchanges.Get("http://127.0.0.1:8821/customers/4", "{}", id: "x"), "Location", "http://127.0.0.1:8821/clients/4"), "r1"),
            Result(WithHeader(Exchanges.Get("http://127.0.0.1:8820/a", "{}", id: "y"), "Location", "http://127.0.0.1:8821/a"), "r2"), // replayed on the same address
        };

        var report = await DiffRun.RunAsync(recorded, results);

        Assert.Equal(2, report.Variables["diffs"]);
        Assert.DoesNotContain(report.Noise, n => n.Source == "target address");
    }
}
