using Reprise.Core.Model;
using Reprise.Diff.Engine;
using Reprise.Diff.Model;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Engine;

/// <summary>
/// A login page carries a new CSRF token on every load (express-session + csurf, Rails, ASP.NET): an unchanged
/// build must not fail on it, while a real change on the same line still shows.
/// </summary>
public sealed class HtmlTokenNoiseTests
{
    private const string Page = """<html><head><meta name="csrf-token" content="{0}"></head><body><form method="post" action="/login"><input type="hidden" name="_csrf" value="{0}"><input name="username"><button>{1}</button></form></body></html>""";

    private static string Html(string token, string label) => Page.Replace("{0}", token, StringComparison.Ordinal).Replace("{1}", label, StringComparison.Ordinal);

    private static Exchange Page200(string id, string html, bool result, string? of = null)
    {
        var exchange = Exchanges.Get("http://app.test/login", id: id);
        exchange = exchange with
        {
            Response = exchange.Response! with
            {
                Headers = [new HeaderField("Content-Type", "text/html; charset=utf-8")],
                Body = ExchangeBody.FromText(html + "\nfooter\n", "text/html; charset=utf-8"),
            },
        };
        return result ? exchange with { Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, of!).Add(WellKnownTags.ReplayRun, "cand") } : exchange;
    }

    private static async Task<DiffReport> RunAsync(string recordedToken, string newToken, string newLabel)
    {
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [Page200("r1", Html(recordedToken, "Sign in"), result: false)]);
        await Exchanges.WriteRecordingAsync(dir.File("cand.reprise.jsonl"), [Page200("c1", Html(newToken, newLabel), result: true, of: "r1")]);
        return await new DiffEngine(new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("cand.reprise.jsonl") }).RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task CsrfTokenInAnHtmlLine_IsNoise()
    {
        var report = await RunAsync("c0bdbf17cbcfeaef429f3e5fac2b1f08", "a7f78003e7caf65932780842a7c0a53b", "Sign in");

        Assert.Equal(0, report.Variables["diffs"]);
        Assert.Contains(report.Noise, n => n.Location == "body:line 1" && n.Source == "format");
    }

    [Fact]
    public async Task ARealChangeOnTheSameLine_IsStillADifference()
    {
        var report = await RunAsync("c0bdbf17cbcfeaef429f3e5fac2b1f08", "a7f78003e7caf65932780842a7c0a53b", "Log in");

        Assert.Equal(1, report.Variables["diffs"]);
        var location = Assert.Single(Assert.Single(report.Endpoints).Locations);
        Assert.Equal("body:line 1", location.Location);
    }
}
