using Reprise.Core.Model;
using Reprise.Diff.Model;
using Reprise.Diff.Noise;
using Reprise.Diff.Tests.Engine;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Noise;

/// <summary>
/// Two times that differ were always noise (two readings of a clock). A review question of round 13b: that hides real
/// regressions too, an opening hour moved from 09:00 to 10:00, a time zone lost (<c>10:00Z</c> becoming <c>12:00Z</c>), a
/// due date one day off. Such a change is a whole number of quarter hours, and the runs' own time shift does not explain
/// it; a new reading of a clock is almost never a whole quarter hour away, or is the runs' shift away.
/// </summary>
public sealed class RunClockTests
{
    private static readonly DateTimeOffset Recorded = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A recording of 5 minutes from 12:00, compared with a run of 2 minutes starting <paramref name="later"/> after it.</summary>
    private static RunClock Clock(TimeSpan later) => new(Recorded, Recorded.AddMinutes(5), Recorded + later, Recorded + later + TimeSpan.FromMinutes(2));

    [Theory]
    [InlineData("2026-01-01T12:00:03.125Z", "2026-01-02T15:00:07.5Z")] // a createdAt written on each call: not a whole quarter hour
    [InlineData("2026-01-01T12:01:00Z", "2026-01-02T15:01:00Z")] // exactly the runs' shift (27 h)
    [InlineData("2026-01-01", "2026-01-02")] // a date alone: "today", a day later
    [InlineData("12:01", "15:01")] // a clock time: the runs' shift modulo a day
    [InlineData("1767268800", "1767366000")] // Unix seconds, 27 h apart
    [InlineData("Thu, 01 Jan 2026 12:03:00 GMT", "Fri, 02 Jan 2026 15:03:00 GMT")]
    public void ReadingsOfAClock_AreNoise(string expected, string actual)
    {
        var format = VolatileFormats.Shared(expected, actual);

        Assert.NotNull(format);
        Assert.True(Clock(TimeSpan.FromHours(27)).IsClockReading(expected, actual, format));
    }

    [Theory]
    [InlineData("2026-03-10T10:00:00Z", "2026-03-10T12:00:00Z")] // a time zone lost
    [InlineData("2026-03-10T10:00:00+01:00", "2026-03-10T10:00:00+05:30")] // a half-hour zone
    [InlineData("2026-03-10", "2026-03-13")] // a due date moved by more than the runs' 27 h
    [InlineData("2026-03-10", "2026-03-09")] // a day earlier in a later run
    [InlineData("09:00", "10:00")] // an opening hour
    [InlineData("1773136800000", "1773140400000")] // Unix milliseconds an hour apart
    public void AWholeQuarterHourTheRunsDoNotExplain_IsADifference(string expected, string actual)
    {
        var format = VolatileFormats.Shared(expected, actual);

        Assert.NotNull(format);
        Assert.False(Clock(TimeSpan.FromHours(27)).IsClockReading(expected, actual, format));
    }

    [Fact]
    public void ADateALone_MovesOnlyForward_WithALaterRun()
    {
        var sameDay = Clock(TimeSpan.FromHours(2));

        Assert.True(sameDay.IsClockReading("2026-01-01", "2026-01-01", VolatileFormats.TimestampFormat));
        Assert.True(sameDay.IsClockReading("2026-01-01", "2026-01-02", VolatileFormats.TimestampFormat)); // recorded late in the day
        Assert.False(sameDay.IsClockReading("2026-01-02", "2026-01-01", VolatileFormats.TimestampFormat));
        Assert.False(sameDay.IsClockReading("2026-01-01", "2026-01-03", VolatileFormats.TimestampFormat));
    }

    [Fact]
    public void ClockTimes_WrapAroundMidnight()
    {
        var clock = Clock(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(15)); // 12:00 recorded, 00:15 the next day replayed

        Assert.True(clock.IsClockReading("12:00", "00:15", VolatileFormats.TimeOfDayFormat));
        Assert.False(clock.IsClockReading("12:00", "01:15", VolatileFormats.TimeOfDayFormat));
    }

    [Fact]
    public void UnknownTimes_LeaveTheFormatAlone()
    {
        Assert.Null(RunClock.Of(default, default, Recorded, Recorded));
        var model = new NoiseModel([.. DiffRules.Defaults()]);

        Assert.True(model.IsNoise("GET /x", new Difference("body:$.due", DifferenceKind.Changed, "2026-03-10T10:00:00Z", "2026-03-10T12:00:00Z")));
    }

    [Fact]
    public void NoiseModel_WithAClock_ReportsAMovedTime_InsideATextToo()
    {
        var model = new NoiseModel([.. DiffRules.Defaults()]);
        var clock = Clock(TimeSpan.FromHours(27));

        Assert.False(model.IsNoise("GET /x", new Difference("body:$.due", DifferenceKind.Changed, "2026-03-10T10:00:00Z", "2026-03-10T12:00:00Z"), clock));
        Assert.False(model.IsNoise("GET /x", new Difference("body:line 3", DifferenceKind.Changed, "opens at 09:00 daily", "opens at 10:00 daily"), clock));
        Assert.True(model.IsNoise("GET /x", new Difference("body:$.created", DifferenceKind.Changed, "2026-01-01T12:00:03.125Z", "2026-01-02T15:00:07.5Z"), clock));
        Assert.True(model.IsNoise("GET /x", new Difference("body:line 3", DifferenceKind.Changed, "built 2026-01-01T12:00:03Z by ci", "built 2026-01-02T15:00:11Z by ci"), clock));
    }

    [Fact]
    public async Task Diff_AReplayADayLater_ReportsTheMovedDueDate_NotTheNewCreatedAt()
    {
        var recorded = Exchanges.Get("http://127.0.0.1:8801/orders/1", """{"due":"2026-03-10T09:00:00Z","created":"2026-01-01T12:00:00.125Z","opens":"09:00"}""", id: "r1");
        var result = Exchanges.Get("http://127.0.0.1:8801/orders/1", """{"due":"2026-03-10T10:00:00Z","created":"2026-01-02T15:00:02.5Z","opens":"10:00"}""", id: "c1",
            offsetMs: (int)TimeSpan.FromHours(27).TotalMilliseconds) with { Tags = DiffRun.ResultTags("r1", null) };

        var report = await DiffRun.RunAsync([recorded], [result]);

        var sample = Assert.Single(report.Samples);
        Assert.Equal(["body:$.due", "body:$.opens"], sample.Differences.Select(d => d.Location).Order());
        Assert.Contains(report.Noise, n => n.Location == "body:$.created" && n.Source == "format");
    }

    [Fact]
    public void AFixedTimeShift_ExplainsAnEchoMovedByIt()
    {
        var clock = Clock(TimeSpan.FromHours(27)) with { FixedShift = RunClock.FixedShiftOf("172800s") }; // --time-shift 2d

        Assert.Equal(TimeSpan.FromDays(-1.5), RunClock.FixedShiftOf("-129600000ms"));
        Assert.Null(RunClock.FixedShiftOf("auto"));
        Assert.True(clock.IsClockReading("2026-03-10T10:00:00Z", "2026-03-12T10:00:00Z", VolatileFormats.TimestampFormat));
        Assert.False(Clock(TimeSpan.FromHours(27)).IsClockReading("2026-03-10T10:00:00Z", "2026-03-12T10:00:00Z", VolatileFormats.TimestampFormat));
        Assert.False(clock.IsClockReading("2026-03-10T10:00:00Z", "2026-03-12T11:00:00Z", VolatileFormats.TimestampFormat));
    }

    [Fact]
    public async Task Diff_ResultsReplayedWithAFixedTimeShift_AnEchoMovedByItIsNoise()
    {
        var recorded = Exchanges.Get("http://127.0.0.1:8801/slots?from=2026-03-10T10:00:00Z", """{"from":"2026-03-10T10:00:00Z"}""", id: "r1");
        var result = Exchanges.Get("http://127.0.0.1:8801/slots?from=2026-03-12T10:00:00Z", """{"from":"2026-03-12T10:00:00Z"}""", id: "c1",
            offsetMs: (int)TimeSpan.FromHours(27).TotalMilliseconds) with { Tags = DiffRun.ResultTags("r1", null) };
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [recorded]);
        var options = new Reprise.Diff.Engine.DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("cand.reprise.jsonl") };

        await Exchanges.WriteRecordingAsync(options.Results, [result], Exchange.EmptyTags.Add("timeShift", "172800s"));
        var shifted = await new Reprise.Diff.Engine.DiffEngine(options).RunAsync(TestContext.Current.CancellationToken);
        await Exchanges.WriteRecordingAsync(options.Results, [result], Exchange.EmptyTags.Add("timeShift", "auto"));
        var auto = await new Reprise.Diff.Engine.DiffEngine(options).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, shifted.Variables["diffs"]);
        Assert.Equal(1, auto.Variables["diffs"]);
    }
}
