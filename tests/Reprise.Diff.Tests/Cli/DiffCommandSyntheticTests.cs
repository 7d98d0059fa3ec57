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
