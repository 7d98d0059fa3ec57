using System.IO.Compression;
using Reprise.Testing;
using Xunit;

namespace Reprise.Cli.Tests;

/// <summary>Every bad input: one line on stderr naming the file/flag/line, exit 2, no stack trace.</summary>
public sealed class BadInputTests : IDisposable
{
    private static readonly string ShopHar = Path.Combine(AppContext.BaseDirectory, "TestData", "shop.har");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task MissingFile_NamesIt()
    {
        var path = _dir.File("nope.reprise.jsonl");
        await AssertUsageError(["inspect", path], $"{path}: no such file");
    }

    [Fact]
    public async Task NotJson_NamesLine1()
    {
        var path = _dir.File("text.reprise.jsonl");
        await File.WriteAllTextAsync(path, "this is not json\n", TestContext.Current.CancellationToken);
        await AssertUsageError(["inspect", path], $"{path}:1: not valid JSON");
    }

    [Fact]
    public async Task BadLine3Of10_NamesLine3_AndSkipInvalidGoesOn()
    {
        var path = _dir.File("bad.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(path, Enumerable.Range(0, 9).Select(i => Exchanges.Get($"http://a.test/{i}")));
        var lines = await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken);
        lines[2] = "{\"id\":\"x\",\"startedAt\":";
        await File.WriteAllLinesAsync(path, lines, TestContext.Current.CancellationToken);

        await AssertUsageError(["inspect", path], $"{path}:3: ");

        var skipped = await RepriseExe.RunAsync(["inspect", path, "--json", "--skip-invalid"]);
        Assert.Equal(0, skipped.ExitCode);
        Assert.Contains("\"exchanges\": 8", skipped.Stdout, StringComparison.Ordinal);
        Assert.Contains($"warning: {path}:3:", skipped.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedGzip_IsAnError()
    {
        var plain = _dir.File("p.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(plain, Enumerable.Range(0, 300).Select(i => Exchanges.Get($"http://a.test/{i}", "{\"n\":" + i + "}")));
        var gz = _dir.File("cut.reprise.jsonl.gz");
        await using (var output = File.Create(gz))
        await using (var zip = new GZipStream(output, CompressionLevel.Optimal))
        {
            await zip.WriteAsync(await File.ReadAllBytesAsync(plain, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        }

        var bytes = await File.ReadAllBytesAsync(gz, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(gz, bytes[..(bytes.Length * 2 / 3)], TestContext.Current.CancellationToken);

        await AssertUsageError(["inspect", gz], "truncated or corrupt gzip stream");
    }

    [Fact]
    public async Task UnknownFormatVersion_AsksToUpgrade()
    {
        var path = _dir.File("v7.reprise.jsonl");
        await File.WriteAllTextAsync(path, "{\"format\":\"reprise-recording\",\"version\":7,\"tool\":\"reprise/7.0.0\",\"createdAt\":\"2030-01-01T00:00:00Z\",\"capture\":{}}\n", TestContext.Current.CancellationToken);
        await AssertUsageError(["inspect", path], "unsupported format version 7");
    }

    [Fact]
    public async Task HarWithNoEntries_SaysSo()
    {
        var path = _dir.File("empty.har");
        await File.WriteAllTextAsync(path, "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"x\",\"version\":\"1\"},\"entries\":[]}}", TestContext.Current.CancellationToken);
        await AssertUsageError(["import", path, "-o", _dir.File("o.reprise.jsonl")], $"{path}: HAR has no entries");
        Assert.False(File.Exists(_dir.File("o.reprise.jsonl")), "a failed import must not leave an output file");
    }

    [Fact]
    public async Task ExistingOutput_IsNotOverwrittenWithoutForce()
    {
        var output = _dir.File("keep.reprise.jsonl");
        await File.WriteAllTextAsync(output, "precious", TestContext.Current.CancellationToken);
        await AssertUsageError(["import", ShopHar, "-o", output], "already exists (use --force to overwrite)");
        Assert.Equal("precious", await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken));
        Assert.Equal(0, (await RepriseExe.RunAsync(["import", ShopHar, "-o", output, "--force"])).ExitCode);
    }

    [Fact]
    public async Task OutputSameAsInput_IsRefused()
    {
        var recording = _dir.File("r.reprise.jsonl");
        await RepriseExe.RunAsync(["import", ShopHar, "-o", recording]);
        await AssertUsageError(["filter", recording, "-o", recording, "--force"], "is the input file");
    }

    [Theory]
    [InlineData("--status", "9xx", "--status: '9xx' is not a status")]
    [InlineData("--direction", "up", "--direction: 'up' is not a direction")]
    [InlineData("--sample", "2", "--sample: 2 is not a fraction")]
    [InlineData("--method", "GE T", "--method: 'GE T' is not an HTTP method")]
    public async Task BadFilterFlag_NamesFlagAndValue(string flag, string value, string expected)
    {
        await AssertUsageError(["filter", ShopHar, "-o", _dir.File("x.reprise.jsonl"), flag, value], expected);
    }

    [Fact]
    public async Task UnknownOption_IsUsageError()
    {
        var result = await RepriseExe.RunAsync(["inspect", ShopHar, "--bogus"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--bogus", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownExportFormat_IsUsageError() =>
        await AssertUsageError(["export", ShopHar, "--format", "pcap", "-o", _dir.File("x")], "--format: 'pcap' is not a known format");

    [Fact]
    public async Task UnknownCommand_NamesIt_AndListsTheCommands()
    {
        var result = await RepriseExe.RunAsync(["frobnicate"]);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("reprise: error: unknown command 'frobnicate' (commands: ", line, StringComparison.Ordinal);
        Assert.Contains("record, ", line, StringComparison.Ordinal);
        Assert.EndsWith("(see 'reprise --help')", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "inspect", "IN", "--jsn" }, "inspect", "unknown option '--jsn' (did you mean --json?)")]
    [InlineData(new[] { "replay", "IN", "-t", "http://127.0.0.1:9", "--outt", "x.reprise.jsonl" }, "replay", "unknown option '--outt' (did you mean --out?)")]
    [InlineData(new[] { "inspect", "IN", "--frobnicate" }, "inspect", "unknown option '--frobnicate'")]
    [InlineData(new[] { "inspect", "IN", "extra" }, "inspect", "unexpected argument 'extra'")]
    [InlineData(new[] { "inspect", "IN", "--top" }, "inspect", "--top: missing value")]
    public async Task UnknownOptionOrMissingValue_OneLineInOurWords(string[] args, string command, string expected)
    {
        // docs walk: these printed System.CommandLine's "Unrecognized command or argument '--jsn'." and "Required
        // argument missing for option: '--top'." (with a stray period before the hint), and no suggestion for a typo.
        var result = await RepriseExe.RunAsync(args.Select(a => a == "IN" ? ShopHar : a).ToArray());
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"reprise: error: {expected} (see 'reprise {command} --help')", line);
    }

    [Theory]
    [InlineData("replay", "--vus", "abc", "--vus: 'abc' is not a whole number")]
    [InlineData("replay", "--rate", "fast", "--rate: 'fast' is not a number")]
    [InlineData("mock", "--seed", "-1", "--seed: '-1' is not a whole number, 0 or more")]
    public async Task UnparsableNumber_NamesTheFlagWithoutDotNetTypeNames(string command, string flag, string value, string expected)
    {
        string[] args = command == "replay" ? ["replay", ShopHar, "-t", "http://127.0.0.1:9", flag, value] : ["mock", ShopHar, flag, value];
        var result = await RepriseExe.RunAsync(args);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"reprise: error: {expected} (see 'reprise {command} --help')", line);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every command's user errors carry one prefix: diff, test and mock validation printed "reprise diff: error:",
    /// "reprise test: error:", "reprise mock: error:" while the others printed "reprise: error:".
    /// </summary>
    [Theory]
    [InlineData("diff")]
    [InlineData("test")]
    [InlineData("mock")]
    [InlineData("replay")]
    public async Task ValidationErrors_OfEveryCommand_HaveOnePrefix_AndNameTheFlag(string command)
    {
        string[] args = command switch
        {
            "diff" => ["diff", ShopHar, ShopHar, "--alpha", "0.9"],
            "test" => ["test", ShopHar, "--target", "http://127.0.0.1:9", "--alpha", "0.9"],
            "mock" => ["mock", ShopHar, "--error-rate", "2"],
            _ => ["replay", ShopHar, "--target", "http://127.0.0.1:9", "--speed", "-1"],
        };
        var result = await RepriseExe.RunAsync(args);
        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.StartsWith("reprise: error: --", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(command switch { "mock" => "--error-rate", "replay" => "--speed", _ => "--alpha" }, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingArgument_NamesIt()
    {
        var result = await RepriseExe.RunAsync(["diff", ShopHar]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "reprise: error: missing argument RESULTS: usage is 'reprise diff RECORDED RESULTS [options]' (see 'reprise diff --help')",
            Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Filter_KeepingNothing_WarnsButSucceeds()
    {
        var output = _dir.File("none.reprise.jsonl");
        var result = await RepriseExe.RunAsync(["filter", ShopHar, "-o", output, "--path", "/no/such/path/**"]);
        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"warning: no exchange matched the filters; {output} has none of the ", line, StringComparison.Ordinal);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public async Task Output_InMissingDirectory_NamesTheUsersPath()
    {
        var output = Path.Combine(_dir.File("no-such-dir"), "x.reprise.jsonl");
        var result = await RepriseExe.RunAsync(["filter", ShopHar, "-o", output]);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"reprise: error: {output}: cannot create: directory '{Path.GetDirectoryName(output)}' does not exist", line);
        Assert.DoesNotContain(".tmp", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("filter")]
    [InlineData("export")]
    public async Task Output_IsADirectory_NamedBeforeAnyWork(string command)
    {
        // docs walk: filter read everything and failed at the final move with "Is a directory : '…'" (exit 3);
        // export --format har the same through AtomicFile.
        var output = _dir.File("somedir");
        Directory.CreateDirectory(output);
        string[] args = command == "filter" ? ["filter", ShopHar, "-o", output, "--force"] : ["export", ShopHar, "--format", "har", "-o", output, "--force"];
        var result = await RepriseExe.RunAsync(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"reprise: error: {output}: is a directory (give a file name)", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Empty(Directory.GetFileSystemEntries(output));
    }

    private static async Task AssertUsageError(string[] args, string expected)
    {
        var result = await RepriseExe.RunAsync(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("reprise: error:", StringComparison.Ordinal));
        Assert.Equal(string.Empty, result.Stdout);
    }
}
