using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Reprise.Diff.Tests.Sample;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Cli;

/// <summary>End-to-end through the reprise executable: exit codes, outputs, JUnit schema, bad input.</summary>
public sealed class DiffCommandTests(RecordingFixture fixture) : IClassFixture<RecordingFixture>
{
    private static readonly Regression All = Regression.ChangedField | Regression.RemovedField | Regression.StatusChange | Regression.SlowP95 | Regression.NewErrors;

    [Fact]
    public async Task Diff_UnchangedService_ExitsZeroWithZeroDiffs()
    {
        var results = await fixture.ReplayAgainstAsync(Regression.None, "cli-unchanged");
        var junit = Path.Combine(fixture.Directory, "unchanged.junit.xml");

        var run = await RepriseExe.RunAsync(["diff", fixture.Recording, results, "--junit", junit, .. SampleLatency.CliArgs]);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("PASS", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("420 exchanges compared, 0 with differences", run.Stdout, StringComparison.Ordinal);
        ValidateJUnit(junit);
        Assert.DoesNotContain("<failure", File.ReadAllText(junit), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_Regressions_ExitsOneAndWritesEveryOutput()
    {
        var results = await fixture.ReplayAgainstAsync(All, "cli-all");
        var junit = Path.Combine(fixture.Directory, "all.junit.xml");
        var markdown = Path.Combine(fixture.Directory, "all.md");
        var html = Path.Combine(fixture.Directory, "all.html");

        var run = await RepriseExe.RunAsync(["diff", fixture.Recording, results, "--junit", junit, "--markdown", markdown, "--report", html, "--json", .. SampleLatency.CliArgs]);

        Assert.True(run.ExitCode == 1, run.Stdout + run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.True(json.RootElement.GetProperty("failed").GetBoolean());
        Assert.Equal(5, json.RootElement.GetProperty("endpoints").EnumerateArray().Count(e => e.GetProperty("failed").GetBoolean()));

        ValidateJUnit(junit);
        var doc = XDocument.Load(junit);
        var cases = doc.Descendants("testcase").ToList();
        Assert.Equal(7, cases.Count);
        var products = cases.Single(c => (string?)c.Attribute("name") == "GET /api/products/{id}");
        Assert.Contains("body:$.price", products.Element("failure")!.Value, StringComparison.Ordinal);
        Assert.Null(cases.Single(c => (string?)c.Attribute("name") == "POST /soap").Element("failure"));

        var md = File.ReadAllText(markdown);
        Assert.StartsWith("## ❌ Reprise: regression gate failed", md, StringComparison.Ordinal);
        Assert.Contains("`body:$.email` removed", md, StringComparison.Ordinal);

        var page = File.ReadAllText(html);
        foreach (var external in new[] { "<link", "src=", "@import", "url(", "fetch(", "XMLHttpRequest" })
        {
            Assert.DoesNotContain(external, page, StringComparison.OrdinalIgnoreCase); // self-contained: nothing loads from anywhere
        }

        Assert.Contains("id=\"verdict\" class=\"verdict fail\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_CustomGate_CanIgnoreLatencyAndErrors()
    {
        var results = await fixture.ReplayAgainstAsync(Regression.SlowP95 | Regression.NewErrors, "cli-gate");

        var lenient = await RepriseExe.RunAsync(["diff", fixture.Recording, results, "--fail-if", "diffs > 0 && !(errors > 100)", .. SampleLatency.CliArgs]);
        var strict = await RepriseExe.RunAsync(["diff", fixture.Recording, results, "--fail-if", "p95_regression > 10%", .. SampleLatency.CliArgs]);

        Assert.True(lenient.ExitCode == 1, lenient.Stdout + lenient.Stderr); // the 500s change status and body: diffs > 0
        Assert.True(strict.ExitCode == 1, strict.Stdout + strict.Stderr); // the +50 ms p95 is caught above the 25 ms floor
        Assert.Contains("p95_regression > 10% (p95_regression = ", strict.Stdout, StringComparison.Ordinal);
        var none = await RepriseExe.RunAsync(["diff", fixture.Recording, results, "--fail-if", "status_changes > 1000"]);
        Assert.True(none.ExitCode == 0, none.Stdout + none.Stderr);
    }

    [Theory]
    [InlineData("diffs >", "column 8: unexpected end of expression")]
    [InlineData("diffs > 0 || (errors > 1", "column 25: missing ')'")]
    [InlineData("difs > 0", "column 1: unknown variable 'difs'")]
    [InlineData("diffs = 0", "column 7: '=' is not an operator")]
    [InlineData("diffs > 10x", "column 11: unexpected 'x' after number '10'")]
    [InlineData("diffs || errors > 0", "column 7: the left side of '||' is a number")]
    public async Task Diff_BadGate_OneLineErrorWithColumnAndExitTwo(string gate, string expected)
    {
        var run = await RepriseExe.RunAsync(["diff", fixture.Recording, fixture.Recording, "--fail-if", gate]);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--fail-if: " + expected, line, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task Diff_BadInputs_EveryErrorOnItsOwnLine()
    {
        var rules = Path.Combine(fixture.Directory, "bad-rules.yaml");
        await File.WriteAllTextAsync(rules, "ignore:\n  - path: \"$.meta\"\n  - endpoint: GET /x\nunknown: 1\n", TestContext.Current.CancellationToken);

        var run = await RepriseExe.RunAsync(["diff", fixture.Recording, "missing.reprise.jsonl", "--rules", rules, "--alpha", "2", "--report", "/no/such/dir/r.html"]);

        Assert.Equal(2, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("bad-rules.yaml:2: ignore[0].path: '$.meta' must start with body:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("bad-rules.yaml:3: ignore[1]: missing path:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("bad-rules.yaml:4: unknown key 'unknown'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--alpha: must be between 0 and 0.5 (got 2)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("RESULTS: 'missing.reprise.jsonl': no such file", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--report: '/no/such/dir/r.html': directory", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_NaNAlphaAndLatencyFloor_AreUsageErrors()
    {
        // NaN passed every range check (all comparisons with NaN are false) and silently disabled the latency test.
        var run = await RepriseExe.RunAsync(["diff", fixture.Recording, fixture.Recording, "--alpha", "NaN", "--latency-floor", "NaN"]);

        Assert.Equal(2, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("--alpha: must be between 0 and 0.5 (got NaN)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--latency-floor: must be 0 or more (got NaN)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diff_ResultsWithoutReplayTags_IsAnInputError()
    {
        var run = await RepriseExe.RunAsync(["diff", fixture.Recording, fixture.Recording]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no exchange has a 'replay.of' tag", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_RulesFile_IgnoresTheChangedField()
    {
        var results = await fixture.ReplayAgainstAsync(Regression.ChangedField, "cli-rules");
        var rules = Path.Combine(fixture.Directory, "rules.yaml");
        await File.WriteAllTextAsync(rules, "ignore:\n  - path: \"body:$.price\"\n    endpoint: \"GET /api/products/*\"\n    reason: prices are repriced nightly\n", TestContext.Current.CancellationToken);

        var run = await RepriseExe.RunAsync(["diff", fixture.Recording, results, "--rules", rules, "--json", .. SampleLatency.CliArgs]);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Contains(json.RootElement.GetProperty("noise").EnumerateArray(), n => n.GetProperty("reason").GetString() == "prices are repriced nightly" && n.GetProperty("count").GetInt64() == 60);
    }

    /// <summary>Validates against the Surefire/Jenkins junit-10 schema CI servers use.</summary>
    internal static void ValidateJUnit(string path)
    {
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "TestData", "junit-10.xsd"));
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using (var reader = XmlReader.Create(path, settings))
        {
            while (reader.Read())
            {
            }
        }

        Assert.Empty(errors);
    }
}
