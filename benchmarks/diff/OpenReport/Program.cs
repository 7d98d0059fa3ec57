// Opens a reprise diff HTML report in headless Chromium three times and prints how long it takes until
// the verdict, endpoint table and first side-by-side diff are on screen, and how fast a filter change is.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

if (args.Length != 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: OpenReport REPORT.html");
    return 2;
}

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
for (var run = 0; run < 3; run++)
{
    var page = await browser.NewPageAsync();
    var clock = Stopwatch.StartNew();
    await page.GotoAsync(new Uri(Path.GetFullPath(args[0])).AbsoluteUri);
    await page.WaitForSelectorAsync("#diff-view .sbs");
    var visible = clock.ElapsedMilliseconds;
    var loaded = await page.EvaluateAsync<double>("() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd");
    clock.Restart();
    await page.SelectOptionAsync("#f-endpoint", "1");
    await page.CheckAsync("#f-diffs");
    var filter = clock.ElapsedMilliseconds;
    var rows = await page.Locator("#exchanges .row").CountAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"open {run + 1}: diff on screen after {visible} ms (DOMContentLoaded {loaded:0} ms); endpoint filter + only-diffs {filter} ms; exchange rows in the DOM {rows}"));
    await page.CloseAsync();
}

return 0;
