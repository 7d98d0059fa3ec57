using Reprise.Core.Model;
using Reprise.Diff.Engine;
using Reprise.Diff.Model;
using Reprise.Diff.Noise;
using Reprise.Diff.Tests.Engine;
using Reprise.Testing;

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

    /// <summary>
    /// With <c>--baseline</c>, every location that differs between the recording and the baseline run is learned as noise
    /// (array indexes generalised). A <c>created</c> the baseline wrote anew (a clock reading the time rule already calls
    /// noise) taught <c>$.tasks[*].created</c>, and so hid the seeded task whose <c>created</c> lost its time zone, a
    /// difference the time rule reports without a baseline. A time the baseline's own clock explains is left to the rule.
    /// </summary>
    [Fact]
    public async Task Baseline_ATimeWrittenAnew_DoesNotHideATimeMovedByWholeHours()
    {
        const string Url = "http://127.0.0.1:8801/tasks";
        var day = (int)TimeSpan.FromHours(24).TotalMilliseconds;
        var recorded = Exchanges.Get(Url, """{"tasks":[{"created":"2026-03-10T09:00:00Z"},{"created":"2026-01-01T00:00:03.125Z"}]}""", id: "r1");
        var baseline = Exchanges.Get(Url, """{"tasks":[{"created":"2026-03-10T09:00:00Z"},{"created":"2026-01-02T00:00:04.5Z"}]}""", id: "b1", offsetMs: day)
            with { Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, "r1").Add(WellKnownTags.ReplayRun, "base") };
        var candidate = Exchanges.Get(Url, """{"tasks":[{"created":"2026-03-10T11:00:00Z"},{"created":"2026-01-03T00:00:02.75Z"}]}""", id: "c1", offsetMs: 2 * day)
            with { Tags = DiffRun.ResultTags("r1", null) };
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [recorded]);
        await Exchanges.WriteRecordingAsync(dir.File("base.reprise.jsonl"), [baseline]);
        await Exchanges.WriteRecordingAsync(dir.File("cand.reprise.jsonl"), [candidate]);
        var options = new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("cand.reprise.jsonl") };

        var without = await new DiffEngine(options).RunAsync(TestContext.Current.CancellationToken);
        var with = await new DiffEngine(options with { BaselineResults = dir.File("base.reprise.jsonl") }).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["body:$.tasks[0].created"], Assert.Single(without.Samples).Differences.Select(d => d.Location));
        Assert.Equal(["body:$.tasks[0].created"], Assert.Single(with.Samples).Differences.Select(d => d.Location));
        Assert.DoesNotContain(with.Noise, n => n.Source == NoiseModel.Baseline);
    }

    /// <summary>
    /// The same with two identical requests in the recording (half an hour apart): the new task's <c>created</c>, a
    /// reading of the clock, taught <c>$.tasks[*].created</c> as volatile and hid the seeded task's lost time zone.
    /// </summary>
    [Fact]
    public async Task IdenticalRequests_ATimeWrittenAnew_DoesNotHideATimeMovedByWholeHours()
    {
        const string Url = "http://127.0.0.1:8801/tasks";
        var halfHour = (int)TimeSpan.FromMinutes(30).TotalMilliseconds;
        var day = (int)TimeSpan.FromHours(24).TotalMilliseconds;
        Exchange[] recorded =
        [
            Exchanges.Get(Url, """{"tasks":[{"created":"2026-03-10T09:00:00Z"},{"created":"2026-01-01T00:00:03.125Z"}]}""", id: "r1"),
            Exchanges.Get(Url, """{"tasks":[{"created":"2026-03-10T09:00:00Z"},{"created":"2026-01-01T00:30:04.5Z"}]}""", id: "r2", offsetMs: halfHour),
        ];
        Exchange[] results =
        [
            Exchanges.Get(Url, """{"tasks":[{"created":"2026-03-10T11:00:00Z"},{"created":"2026-01-02T00:00:02.75Z"}]}""", id: "c1", offsetMs: day) with { Tags = DiffRun.ResultTags("r1", null) },
            Exchanges.Get(Url, """{"tasks":[{"created":"2026-03-10T11:00:00Z"},{"created":"2026-01-02T00:30:01.25Z"}]}""", id: "c2", offsetMs: day + halfHour) with { Tags = DiffRun.ResultTags("r2", null) },
        ];

        var report = await DiffRun.RunAsync(recorded, results);

        Assert.Equal(2, report.Variables["diffs"]);
        Assert.DoesNotContain(report.Noise, n => n.Source == NoiseModel.IdenticalRequests);
    }

    /// <summary>
    /// A HAR exporter that did not know when a request started writes a placeholder (<c>1970-01-01T00:00:00Z</c>, the
    /// Unix epoch). One such start in the recording widened its window to 56 years, so every time moved forward by
    /// more than the runs' gap (a due date three days off, the runs 27 h apart) was "explained" by it. A start before 2000 is no reading of when a
    /// run happened: it is left out like an unknown one.
    /// </summary>
    [Fact]
    public async Task APlaceholderStart_InTheRecording_DoesNotSilenceTheRule()
    {
        const string Url = "http://127.0.0.1:8801/orders/1";
        var day = (int)TimeSpan.FromHours(27).TotalMilliseconds;
        Exchange[] recorded =
        [
            Exchanges.Get(Url, """{"due":"2026-03-10T09:00:00Z"}""", id: "r1"),
            Exchanges.Get("http://127.0.0.1:8801/health", "{}", id: "r0") with { StartedAt = DateTimeOffset.UnixEpoch },
        ];
        Exchange[] results = [Exchanges.Get(Url, """{"due":"2026-03-13T09:00:00Z"}""", id: "c1", offsetMs: day) with { Tags = DiffRun.ResultTags("r1", null) }];

        var report = await DiffRun.RunAsync(recorded, results);

        Assert.Equal(1, report.Variables["diffs"]);
    }
}
