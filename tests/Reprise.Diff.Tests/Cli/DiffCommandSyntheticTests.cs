using Reprise.Core.Model;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Cli;

/// <summary>End-to-end on small hand-built recordings (no server).</summary>
public sealed class DiffCommandSyntheticTests
{
    private static Exchange Result(Exchange recorded, string json, int status = 200) =>
        Exchanges.Get(recorded.Request.Url, json, status) with { Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, recorded.Id).Add(WellKnownTags.ReplayCopy, "0").Add(WellKnownTags.ReplayRun, "t") };

    [Fact]
    public async Task Diff_ValuesWithBracesAndBrackets_PrintLiterally()
    {
        using var dir = new TempDir();
        var recorded = Exchanges.Get("http://svc.test/api/things/1", """{"a":{"b":[1,"[red]x[/]"]},"c":"{0}"}""", id: "r1");
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [recorded]);
        await Exchanges.WriteRecordingAsync(dir.File("res.reprise.jsonl"), [Result(recorded, """{"c":"{1}"}""")]);

        var run = await RepriseExe.RunAsync(["diff", dir.File("rec.reprise.jsonl"), dir.File("res.reprise.jsonl")]);

        Assert.True(run.ExitCode == 1, run.Stdout + run.Stderr);
        Assert.Contains("""body:$.a: removed (was {"b":[1,"[red]x[/]"]})""", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("body:$.c: {0} → {1}", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_OneOfEach_SummaryLineIsSingular()
    {
        // docs walk: "3 noisy differences ignored (1 locations)" and "1 exchanges compared".
        using var dir = new TempDir();
        var recorded = Exchanges.Get("http://svc.test/api/things/1", """{"requestId":"6e8cd94e-7223-4c68-a552-9b0566567bc4"}""", id: "r1");
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [recorded]);
        await Exchanges.WriteRecordingAsync(dir.File("res.reprise.jsonl"), [Result(recorded, """{"requestId":"0b1c2d3e-4f50-4a61-b7c8-d9e0f1a2b3c4"}""")]);

        var run = await RepriseExe.RunAsync(["diff", dir.File("rec.reprise.jsonl"), dir.File("res.reprise.jsonl")]);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("1 exchange compared, 0 with differences, 0 new errors, 1 noisy difference ignored (1 location); latency vs recording", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_OneExchangeDiffers_JUnitAndMarkdownAreSingular()
    {
        // "1 of 1 exchanges differ; 1 new errors" and "1 exchanges compared" in the CI reports.
        using var dir = new TempDir();
        var recorded = Exchanges.Get("http://svc.test/api/things/1", """{"state":"ready"}""", id: "r1");
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [recorded]);
        await Exchanges.WriteRecordingAsync(dir.File("res.reprise.jsonl"), [Result(recorded, """{"state":"broken"}""", 500)]);

        var run = await RepriseExe.RunAsync(["diff", dir.File("rec.reprise.jsonl"), dir.File("res.reprise.jsonl"), "--junit", dir.File("junit.xml"), "--markdown", dir.File("pr.md")]);

        Assert.True(run.ExitCode == 1, run.Stdout + run.Stderr);
        var junit = await File.ReadAllTextAsync(dir.File("junit.xml"), TestContext.Current.CancellationToken);
        Assert.Contains("1 of 1 exchange differs; 1 new error", junit, StringComparison.Ordinal);
        var markdown = await File.ReadAllTextAsync(dir.File("pr.md"), TestContext.Current.CancellationToken);
        Assert.Contains("1 exchange compared · 1 with differences · 1 new error", markdown, StringComparison.Ordinal);
        Assert.Contains("0 noisy differences ignored", markdown, StringComparison.Ordinal);
        Assert.Contains(" in 1 exchange, e.g. ", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("1 exchanges", junit + markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_EmptyResults_PassesWithZeroExchanges()
    {
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [Exchanges.Get("http://svc.test/a", id: "r1")]);
        await Exchanges.WriteRecordingAsync(dir.File("res.reprise.jsonl"), []);

        var run = await RepriseExe.RunAsync(["diff", dir.File("rec.reprise.jsonl"), dir.File("res.reprise.jsonl"), "--fail-if", "exchanges == 0"]);

        Assert.True(run.ExitCode == 1, run.Stdout + run.Stderr); // a gate can insist that something was replayed
        Assert.Contains("exchanges == 0 (exchanges = 0)", run.Stdout, StringComparison.Ordinal);
    }
}
