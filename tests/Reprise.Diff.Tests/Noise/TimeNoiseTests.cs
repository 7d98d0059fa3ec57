using Reprise.Core.Model;
using Reprise.Diff.Engine;
using Reprise.Diff.Model;
using Reprise.Diff.Noise;
using Reprise.Diff.Tests.Engine;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Noise;

/// <summary>
/// The time rule's switch (<c>--time-noise runs|any</c>, a rules file's <c>timeNoise:</c>): with <c>any</c>, two times of one
/// format are noise however far apart, as before the rule, for data holding times written at setup; the rest of the format
/// rule stays. And values rounded to the hour (analytics bucket keys), which move with the hour each run happened in.
/// </summary>
public sealed class TimeNoiseTests
{
    private static readonly DateTimeOffset Recorded = new(2026, 3, 1, 10, 23, 0, TimeSpan.Zero);

    /// <summary>A recording of 10 minutes from 10:23, compared with a run of 9 minutes starting <paramref name="later"/> after it.</summary>
    private static RunClock Clock(TimeSpan later) => new(Recorded, Recorded.AddMinutes(10), Recorded + later, Recorded + later + TimeSpan.FromMinutes(9));

    private static readonly TimeSpan NextDayAt1441 = TimeSpan.FromHours(28) + TimeSpan.FromMinutes(18);

    [Theory]
    [InlineData("2026-03-01T10:00:00Z", "2026-03-02T14:00:00Z")] // the hour bucket of 10:23, then of 14:41 the next day
    [InlineData("2026-03-01T09:00:00Z", "2026-03-02T13:00:00Z")] // the bucket before it, in a "last hours" series
    [InlineData("2026-03-01T10:00:00+01:00", "2026-03-02T14:00:00+01:00")] // in another whole-hour offset
    [InlineData("2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z")] // a day bucket
    [InlineData("1772359200", "1772460000")] // Unix seconds of the two hour buckets
    [InlineData("10:00", "14:00")] // an hour bucket as a clock time
    public void AValueRoundedToTheHour_MovedWithTheRunsHours_IsNoise(string expected, string actual)
    {
        var format = VolatileFormats.Shared(expected, actual);

        Assert.NotNull(format);
        Assert.True(Clock(NextDayAt1441).IsClockReading(expected, actual, format));
    }

    [Theory]
    [InlineData("2026-03-01T10:00:00Z", "2026-03-02T13:00:00Z")] // an hour short of the runs' buckets
    [InlineData("2026-03-01T10:00:00Z", "2026-03-02T16:00:00Z")] // two hours past them
    [InlineData("2026-03-01T10:00:00+01:00", "2026-03-02T14:00:00+02:00")] // the offset changed
    [InlineData("2026-03-01T00:00:00Z", "2026-03-03T00:00:00Z")] // a day bucket two days on
    public void AValueRoundedToTheHour_MovedOtherwise_IsADifference(string expected, string actual)
    {
        var format = VolatileFormats.Shared(expected, actual);

        Assert.NotNull(format);
        Assert.False(Clock(NextDayAt1441).IsClockReading(expected, actual, format));
    }

    [Fact]
    public void RunsWithinOneHour_StillReportAWholeHourMoved()
    {
        var sameHour = Clock(TimeSpan.FromMinutes(15)); // 10:23-10:33 recorded, 10:38-10:47 replayed

        Assert.True(sameHour.IsClockReading("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", VolatileFormats.TimestampFormat));
        Assert.False(sameHour.IsClockReading("2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z", VolatileFormats.TimestampFormat)); // a time zone lost
        Assert.True(Clock(TimeSpan.FromMinutes(35)).IsClockReading("2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z", VolatileFormats.TimestampFormat)); // 10:58-11:07: the bucket moved
    }

    [Fact]
    public async Task Diff_AnAnalyticsSeries_ReplayedTheNextDay_ReportsTheCountNotTheBuckets()
    {
        const string RecordedBody = """{"series":[{"hour":"2026-03-01T09:00:00Z","views":4},{"hour":"2026-03-01T10:00:00Z","views":7}]}""";
        const string ReplayedBody = """{"series":[{"hour":"2026-03-02T13:00:00Z","views":4},{"hour":"2026-03-02T14:00:00Z","views":8}]}""";
        var minutes = (int)TimeSpan.FromMinutes(23).TotalMilliseconds; // Exchanges start at 12:00: recorded 12:23, replayed 16:41 the next day
        var recorded = Exchanges.Get("http://127.0.0.1:8801/stats/views", RecordedBody, id: "r1", offsetMs: minutes);
        var result = Exchanges.Get("http://127.0.0.1:8801/stats/views", ReplayedBody, id: "c1", offsetMs: minutes + (int)NextDayAt1441.TotalMilliseconds) with { Tags = DiffRun.ResultTags("r1", null) };

        var report = await DiffRun.RunAsync([recorded], [result]);

        var sample = Assert.Single(report.Samples);
        Assert.Equal(["body:$.series[1].views: 7 → 8"], sample.Differences.Select(d => d.ToString()));
        Assert.Contains(report.Noise, n => n.Location == "body:$.series[*].hour" && n.Source == "format" && n.Count == 2);
    }

    [Fact]
    public void NoiseModel_TimeNoiseAny_TakesAnyTwoTimes_TheRestOfTheFormatRuleStays()
    {
        var clock = Clock(NextDayAt1441);
        var runs = new NoiseModel([.. DiffRules.Defaults()]);
        var any = new NoiseModel([.. DiffRules.Defaults()], timeNoise: TimeNoise.Any);
        var seeded = new Difference("body:$.created_on", DifferenceKind.Changed, "2026-02-20T08:00:00Z", "2026-02-27T08:00:00Z"); // seeded a week apart

        Assert.False(runs.IsNoise("GET /issues", seeded, clock));
        Assert.True(any.IsNoise("GET /issues", seeded, clock));
        Assert.True(any.IsNoise("GET /issues", new Difference("body:line 3", DifferenceKind.Changed, "opens at 09:00 daily", "opens at 10:00 daily"), clock));
        Assert.True(any.IsClockReading(seeded, clock)); // not learned from identical requests either: the format rule takes it
        Assert.False(any.IsNoise("GET /issues", new Difference("body:$.due", DifferenceKind.Changed, "2026-03-10", "soon"), clock));
        Assert.False(any.IsNoise("GET /issues", new Difference("body:$.owner", DifferenceKind.Changed, "ann", "bob"), clock));
    }

    [Fact]
    public async Task Diff_TimeNoiseAny_FromTheOptionOrTheRulesFile_IgnoresASeededTime()
    {
        var recorded = Exchanges.Get("http://127.0.0.1:8801/issues/1", """{"created_on":"2026-02-20T08:00:00Z","subject":"a"}""", id: "r1");
        var result = Exchanges.Get("http://127.0.0.1:8801/issues/1", """{"created_on":"2026-02-27T08:00:00Z","subject":"a"}""", id: "c1", offsetMs: 60_000) with { Tags = DiffRun.ResultTags("r1", null) };
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [recorded]);
        await Exchanges.WriteRecordingAsync(dir.File("res.reprise.jsonl"), [result]);
        var options = new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("res.reprise.jsonl") };
        var (fileRules, errors) = DiffRulesLoader.Parse("timeNoise: any\n", "rules.yaml");

        var byDefault = await new DiffEngine(options).RunAsync(TestContext.Current.CancellationToken);
        var byOption = await new DiffEngine(options with { TimeNoise = TimeNoise.Any }).RunAsync(TestContext.Current.CancellationToken);
        var byFile = await new DiffEngine(options with { Rules = fileRules }).RunAsync(TestContext.Current.CancellationToken);
        var optionOverFile = await new DiffEngine(options with { Rules = fileRules, TimeNoise = TimeNoise.Runs }).RunAsync(TestContext.Current.CancellationToken);

        Assert.Empty(errors);
        Assert.Equal([1.0, 0.0, 0.0, 1.0], new[] { byDefault, byOption, byFile, optionOverFile }.Select(r => r.Variables["diffs"]));
    }

    [Fact]
    public void RulesFile_ABadTimeNoise_IsOneLineNamingIt()
    {
        var (_, errors) = DiffRulesLoader.Parse("ignoreArrayOrder: true\ntimeNoise: sometimes\n", "rules.yaml");

        Assert.Equal(["rules.yaml:2: timeNoise: expected runs or any"], errors);
    }

    [Fact]
    public async Task Cli_ABadTimeNoise_IsOneLineNamingTheFlag_ExitTwo()
    {
        using var dir = new TempDir();
        var recorded = Exchanges.Get("http://127.0.0.1:8801/issues/1", id: "r1");
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [recorded]);
        await Exchanges.WriteRecordingAsync(dir.File("res.reprise.jsonl"), [recorded with { Id = "c1", Tags = DiffRun.ResultTags("r1", null) }]);

        var bad = await RepriseExe.RunAsync(["diff", dir.File("rec.reprise.jsonl"), dir.File("res.reprise.jsonl"), "--time-noise", "sometimes"]);
        var good = await RepriseExe.RunAsync(["diff", dir.File("rec.reprise.jsonl"), dir.File("res.reprise.jsonl"), "--time-noise", "any"]);

        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("reprise: error: --time-noise: 'sometimes' is not runs or any", bad.Stderr.Trim());
        Assert.Empty(bad.Stdout);
        Assert.True(good.ExitCode == 0, good.Stdout + good.Stderr);
    }
}
