using Reprise.Diff.Model;
using Reprise.Diff.Noise;

namespace Reprise.Diff.Tests;

/// <summary>Review of round 14a: the time rule (RunClock), two times a whole number of quarter hours apart.</summary>
public sealed class ReviewFindings14a
{
    private static readonly DateTimeOffset Recorded = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A recording of 5 minutes from 12:00, compared with a run of 2 minutes starting <paramref name="later"/> after it.</summary>
    private static RunClock Clock(TimeSpan later) => new(Recorded, Recorded.AddMinutes(5), Recorded + later, Recorded + later + TimeSpan.FromMinutes(2));

    /// <summary>
    /// Epoch seconds with a fraction (Python's <c>time.time()</c>, Slack's <c>ts</c>) are read without it: 1767268800.9 and
    /// 1767269700.1 are 899.2 s apart, two readings of a clock, but were taken as exactly a quarter hour and, the runs 27 h
    /// apart, reported as a difference.
    /// </summary>
    [Theory]
    [InlineData("1767268800.9", "1767269700.1")] // 899.2 s
    [InlineData("1767268800.75", "1767276000.25")] // half a second short of two hours
    public void EpochSecondsWithAFraction_KeepTheFraction(string expected, string actual)
    {
        var format = VolatileFormats.Shared(expected, actual);

        Assert.Equal(VolatileFormats.EpochFormat, format);
        Assert.True(Clock(TimeSpan.FromHours(27)).IsClockReading(expected, actual, format!));
    }

    [Fact]
    public void EpochSecondsWithAFraction_AWholeQuarterHourTheRunsDoNotExplain_IsStillADifference()
    {
        Assert.False(Clock(TimeSpan.FromHours(27)).IsClockReading("1767268800.5", "1767272400.5", VolatileFormats.EpochFormat)); // an hour
        Assert.False(Clock(TimeSpan.FromHours(27)).IsClockReading("1767268800.5", "1767272400.500000", VolatileFormats.EpochFormat));
    }

    /// <summary>The noise reason for two clock times read "both values are time of days".</summary>
    [Fact]
    public void ClockTimes_NoiseReason_SaysTimesOfDay()
    {
        var model = new NoiseModel([.. DiffRules.Defaults()]);

        Assert.True(model.IsNoise("GET /feed", new Difference("body:$.updated", DifferenceKind.Changed, "13:23", "13:25")));
        Assert.True(model.IsNoise("GET /feed", new Difference("body:line 2", DifferenceKind.Changed, "updated 13:23 today", "updated 13:25 today")));

        Assert.Equal(
            ["both values are times of day (a new value on every call)", "the values differ only in times of day (a new value on every call)"],
            model.Entries().Select(e => e.Reason).Order());
    }
}
