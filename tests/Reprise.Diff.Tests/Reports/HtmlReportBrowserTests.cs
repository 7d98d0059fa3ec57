using Microsoft.Playwright;
using Reprise.Diff.Engine;
using Reprise.Diff.Reports;
using Reprise.Diff.Tests.Sample;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Reports;

/// <summary>Opens the HTML report in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).</summary>
[Trait("Category", "Chromium")]
public sealed class HtmlReportBrowserTests(RecordingFixture fixture) : IClassFixture<RecordingFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Report_OpensWithoutErrors_ShowsVerdictAndADiff_AndSavesAScreenshot()
    {
        Assert.True(File.Exists(Chromium), "install Debian's chromium (tests/packages.txt; ./test.sh does it)");
        var ct = TestContext.Current.CancellationToken;
        var results = await fixture.ReplayAgainstAsync(Regression.ChangedField | Regression.RemovedField | Regression.StatusChange | Regression.SlowP95 | Regression.NewErrors, "browser");
        var report = await new DiffEngine(new DiffOptions { Recorded = fixture.Recording, Results = results, CollectRows = true, Latency = SampleLatency.Analyzer }).RunAsync(ct);
        var html = Path.Combine(fixture.Directory, "report.html");
        await using (var stream = File.Create(html))
        {
            await HtmlReportWriter.WriteAsync(stream, report, TimeProvider.System, ct);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith("file://", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                problems.Add("network request: " + request.Url);
            }
        };

        await page.GotoAsync(new Uri(html).AbsoluteUri);
        await page.WaitForSelectorAsync("#diff-view .sbs");

        var verdict = page.Locator("#verdict");
        Assert.True(await verdict.IsVisibleAsync());
        Assert.Contains("FAIL", await verdict.InnerTextAsync(), StringComparison.Ordinal);
        var viewer = page.Locator("#diff-view");
        Assert.True(await viewer.IsVisibleAsync());
        Assert.Contains("body:$.price", await viewer.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("#diff-view .sbs tr.chg").First.IsVisibleAsync(), "a changed line is highlighted in the side-by-side view");
        Assert.Equal(7, await page.Locator("#endpoints tbody tr").CountAsync());
        Assert.Equal(2, await page.Locator("#plots svg").CountAsync());

        // Filters: selecting the users endpoint shows its removed-field diff; virtualised rows stay few.
        await page.SelectOptionAsync("#f-endpoint", new SelectOptionValue { Label = "✗ GET /api/users/{id}" });
        Assert.Contains("body:$.email", await viewer.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("#exchanges .row").CountAsync() < 40);

        await page.SelectOptionAsync("#f-endpoint", "-1");
        var shots = Path.Combine(RepoRoot.Find(), "artifacts", "screenshots");
        Directory.CreateDirectory(shots);
        var screenshot = Path.Combine(shots, "diff-report.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Report_ForAPassingRun_ShowsPassAndNoDiffsWithoutErrors()
    {
        var ct = TestContext.Current.CancellationToken;
        var results = await fixture.ReplayAgainstAsync(Regression.None, "browser-pass");
        var report = await new DiffEngine(new DiffOptions { Recorded = fixture.Recording, Results = results, CollectRows = true, Latency = SampleLatency.Analyzer }).RunAsync(ct);
        var html = Path.Combine(fixture.Directory, "pass.html");
        await using (var stream = File.Create(html))
        {
            await HtmlReportWriter.WriteAsync(stream, report, TimeProvider.System, ct);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type is "error" or "warning") { problems.Add(message.Text); } };
        page.PageError += (_, error) => problems.Add(error);
        await page.GotoAsync(new Uri(html).AbsoluteUri);
        await page.WaitForSelectorAsync("#noise tbody tr");

        Assert.Contains("PASS", await page.Locator("#verdict").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("No differences", await page.Locator("#samples").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("#noise tbody tr").CountAsync() > 5, "the noise list shows what was ignored");
        Assert.Empty(problems);
    }
}
