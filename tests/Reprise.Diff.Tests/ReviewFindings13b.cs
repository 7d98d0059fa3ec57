using Reprise.Core.Model;
using Reprise.Diff.Tests.Engine;
using Reprise.Testing;

namespace Reprise.Diff.Tests;

/// <summary>
/// Review of QA round 13b's percent-encoded target address: an authority with nothing to escape (<c>localhost</c>) is
/// its own encoding, so after the plain replacement (localhost -> localhost:8080) the encoded one replaced it again
/// (<c>localhost%3A8080:8080</c>), and a value naming the bare host, unchanged but for the address, became a difference.
/// </summary>
public sealed class ReviewFindings13b
{
    private static Exchange WithHeader(Exchange exchange, string name, string value) =>
        exchange with { Response = exchange.Response! with { Headers = exchange.Response.Headers.Add(new HeaderField(name, value)) } };

    [Fact]
    public async Task ABareAuthorityWithNothingToEscape_IsReplacedOnce()
    {
        var recorded = new[] { WithHeader(Exchanges.Get("http://localhost/orders", "{}", id: "r1"), "Location", "//localhost/orders/7") };
        var results = new[]
        {
            WithHeader(Exchanges.Get("http://localhost:8080/orders", "{}", id: "x"), "Location", "//localhost:8080/orders/7") with
            {
                Id = "c-r1", Tags = DiffRun.ResultTags("r1", null),
            },
        };

        var report = await DiffRun.RunAsync(recorded, results);

        Assert.Equal(0, report.Variables["diffs"]);
        Assert.Contains(report.Noise, n => n.Source == "target address" && n.Location == "header:location");
    }
}
