using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Diff.Tests.Cli;

/// <summary>
/// QA11b (git over HTTP replayed with -H: nginx's 401 page recorded, git's ref advertisement replayed): the console's
/// "Differences (location, exchanges, first example)" list and the JUnit failure text printed a changed text block with
/// its line breaks, so one location ran over 35 lines and the next location's line read as part of the body.
/// </summary>
public sealed class MultiLineExampleTests
{
    [Fact]
    public async Task AChangedTextBlock_IsOneLinePerLocation_InTheConsoleAndJUnit()
    {
        using var dir = new TempDir();
        var recorded = Exchanges.Get("http://git.test/notes.git/info/refs", id: "r1", status: 401);
        recorded = recorded with { Response = recorded.Response! with { Body = ExchangeBody.FromText("<html>\r\n<head><title>401</title></head>\r\n</html>\r\n", "text/html") } };
        var result = Exchanges.Get("http://git.test/notes.git/info/refs", id: "c1", status: 401);
        result = result with
        {
            Response = result.Response! with { Body = ExchangeBody.FromText("000eversion 2\n0015agent=git/2.39.5\n0000", "text/html") },
            Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, "r1").Add(WellKnownTags.ReplayRun, "t"),
        };
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [recorded]);
        await Exchanges.WriteRecordingAsync(dir.File("res.reprise.jsonl"), [result]);

        var run = await RepriseExe.RunAsync(["diff", dir.File("rec.reprise.jsonl"), dir.File("res.reprise.jsonl"), "--junit", dir.File("junit.xml")]);

        var line = Assert.Single(run.Stdout.Split('\n'), l => l.Contains("body:line 1-", StringComparison.Ordinal));
        Assert.Contains("<html>⏎<head><title>401</title></head>⏎</html>", line, StringComparison.Ordinal);
        Assert.Contains("000eversion 2⏎0015agent=git/2.39.5⏎0000", line, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Stdout.Split('\n'), l => l.StartsWith("<head>", StringComparison.Ordinal));
        var junit = await File.ReadAllTextAsync(dir.File("junit.xml"), TestContext.Current.CancellationToken);
        Assert.Contains("&lt;html&gt;⏎&lt;head&gt;", junit, StringComparison.Ordinal);
    }
}
