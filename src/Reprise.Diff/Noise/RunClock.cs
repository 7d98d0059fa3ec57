using System.Globalization;

namespace Reprise.Diff.Noise;

/// <summary>
/// When the recording and the run compared with it happened (the first and last exchange of each). Two values of a
/// time format that differ are most often two readings of a clock (a <c>createdAt</c> written on each call, a feed's
/// "updated 13:23"), and the diff treats them as noise; but a regression can move a time too: a time zone lost or
/// doubled (<c>10:00Z</c> becoming <c>12:00Z</c>), a date one day off. Those move a value by a whole number of
/// quarter hours; two readings of a clock almost never differ by exactly that. So a pair of times that differ by a whole
/// non-zero number of quarter hours (a date alone always does) is noise only when the runs' own time shift explains it:
/// the shift lies between the earliest and the latest (run exchange − recorded exchange) gap, widened by
/// <see cref="Slack"/> and the values' resolution. Times of day (<c>HH:MM</c>) are compared modulo a day.
/// </summary>
/// <param name="RecordedFirst">The recording's first exchange start.</param>
/// <param name="RecordedLast">The recording's last exchange start.</param>
/// <param name="RunFirst">The compared run's first exchange start.</param>
/// <param name="RunLast">The compared run's last exchange start.</param>
public readonly record struct RunClock(DateTimeOffset RecordedFirst, DateTimeOffset RecordedLast, DateTimeOffset RunFirst, DateTimeOffset RunLast)
{
    /// <summary>Clock skew between services and time spent answering, allowed on top of the runs' windows.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);

    // An exchange start before it is a placeholder (see IsKnownStart).
    private static readonly DateTimeOffset EarliestKnownStart = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// True when two values of the time format <paramref name="format"/> (as <see cref="VolatileFormats.Of"/> names it)
    /// differ as two readings of a clock would: by other than a whole number of quarter hours, or by the runs' time shift.
    /// Values it cannot read are left to the format alone (true).
    /// </summary>
    public bool IsClockReading(string expected, string actual, string format)
    {
        if (!TryRead(expected, format, out var before, out var resolution) || !TryRead(actual, format, out var after, out var otherResolution))
        {
            return true;
        }

        var shift = after - before;
        var day = format == VolatileFormats.TimeOfDayFormat;
        if (day)
        {
            shift = TimeSpan.FromTicks(((shift.Ticks % TimeSpan.TicksPerDay) + TimeSpan.TicksPerDay) % TimeSpan.TicksPerDay);
        }

        if (shift == TimeSpan.Zero || shift.Ticks % Quarter.Ticks != 0)
        {
            return true;
        }

        var widen = Slack + (resolution > otherResolution ? resolution : otherResolution);
        return Within(shift, RunFirst - RecordedLast - widen, RunLast - RecordedFirst + widen, day)
            || (FixedShift is { } by && Within(shift, by - widen, by + widen, day))
            || IsBucketMove(before, after, shift, day);
    }

    /// <summary>
    /// True for two times written to a whole hour in one offset (a whole day, for timestamps at midnight) that moved as
    /// the hour (day) each run happened in did: an analytics bucket key (<c>"hour": "2026-03-01T10:00:00Z"</c>), the
    /// hour or day a report was asked for. Such a value is the run's time rounded down, so it moves by the difference of
    /// the runs' rounded times, which can be up to a bucket more or less than the runs' shift (recorded at 10:23, replayed
    /// the next day at 14:41: 28 hours, where the runs are 28 h 18 min apart). Runs within one hour leave an hour's value
    /// where it was, so a time zone lost from <c>10:00Z</c> is still reported then.
    /// </summary>
    private bool IsBucketMove(DateTimeOffset before, DateTimeOffset after, TimeSpan shift, bool day)
    {
        if (before.Offset != after.Offset || before.Ticks % TimeSpan.TicksPerHour != 0 || after.Ticks % TimeSpan.TicksPerHour != 0)
        {
            return false;
        }

        var bucket = !day && before.Ticks % TimeSpan.TicksPerDay == 0 && after.Ticks % TimeSpan.TicksPerDay == 0 ? TimeSpan.TicksPerDay : TimeSpan.TicksPerHour;
        var offset = before.Offset.Ticks;
        var low = Floor(RunFirst - Slack) - Floor(RecordedLast + Slack);
        var high = Floor(RunLast + Slack) - Floor(RecordedFirst - Slack);
        return Within(shift, low - TimeSpan.FromTicks(1), high + TimeSpan.FromTicks(1), day); // both ends included

        // The start of the bucket (in the values' offset) a time falls in.
        DateTimeOffset Floor(DateTimeOffset time) =>
            new(time.UtcTicks - ((((time.UtcTicks + offset) % bucket) + bucket) % bucket), TimeSpan.Zero);
    }

    /// <summary>
    /// The fixed shift replay moved the requests' times by (<c>--time-shift 2d</c>, the results header's <c>timeShift</c>):
    /// an answer echoing a shifted time moved by it. Null when replay shifted by the runs' own distance (auto) or not at all.
    /// </summary>
    public TimeSpan? FixedShift { get; init; }

    /// <summary>True when <paramref name="shift"/> (modulo a day for a clock time) lies inside (<paramref name="low"/>, <paramref name="high"/>).</summary>
    private static bool Within(TimeSpan shift, TimeSpan low, TimeSpan high, bool day)
    {
        if (!day)
        {
            return shift > low && shift < high;
        }

        if (high - low >= TimeSpan.FromDays(1))
        {
            return true;
        }

        // Some whole number of days added to the shift falls inside the window.
        var days = Math.Floor((low - shift).TotalDays) + 1;
        return shift + TimeSpan.FromDays(days) < high;
    }

    /// <summary>A value of a time format as an instant (a time of day: since midnight), with the resolution it is written to.</summary>
    private static bool TryRead(string value, string format, out DateTimeOffset instant, out TimeSpan resolution)
    {
        instant = default;
        resolution = TimeSpan.FromSeconds(1);
        switch (format)
        {
            case VolatileFormats.TimeOfDayFormat:
                resolution = value.Length == 5 ? TimeSpan.FromMinutes(1) : resolution;
                if (TimeSpan.TryParseExact(value, value.Length == 5 ? @"hh\:mm" : @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var time))
                {
                    instant = DateTimeOffset.UnixEpoch + time;
                    return true;
                }

                return false;
            case VolatileFormats.EpochFormat:
                var dot = value.IndexOf('.');
                var whole = dot >= 0 ? value[..dot] : value;
                if (!long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    return false;
                }

                resolution = whole.Length == 13 ? TimeSpan.FromMilliseconds(1) : resolution;
                instant = whole.Length == 13 ? DateTimeOffset.FromUnixTimeMilliseconds(number) : DateTimeOffset.FromUnixTimeSeconds(number);

                // Seconds with a fraction (1767268800.9, Python's time.time()): the fraction is part of the reading, so
                // 1767268800.9 and 1767269700.1 are 899.2 s apart, not a whole quarter hour.
                return dot < 0 || TryAddFraction(value.AsSpan(dot + 1), ref instant);
            case VolatileFormats.TimestampFormat:
                if (value.Length == 10 && value[4] == '-')
                {
                    resolution = TimeSpan.FromDays(1); // a date alone
                }
                else if (value.Length >= 16 && value[4] == '-' && (value.Length == 16 || value[16] != ':'))
                {
                    resolution = TimeSpan.FromMinutes(1); // 2024-05-01T10:00, with or without an offset
                }

                return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
            default:
                return false;
        }
    }

    /// <summary>Adds a decimal fraction of a second (up to 9 digits; beyond 7, a tick, they are dropped) to <paramref name="instant"/>.</summary>
    private static bool TryAddFraction(ReadOnlySpan<char> digits, ref DateTimeOffset instant)
    {
        if (digits.Length is 0 or > 9)
        {
            return false;
        }

        long ticks = 0;
        for (var i = 0; i < 7; i++)
        {
            var digit = i < digits.Length ? digits[i] - '0' : 0;
            if (digit is < 0 or > 9)
            {
                return false;
            }

            ticks = (ticks * 10) + digit;
        }

        instant = instant.AddTicks(ticks);
        return true;
    }

    /// <summary>
    /// A clock for two windows, or null when either side's times are unknown: none (a HAR without them) or a placeholder
    /// (see <see cref="IsKnownStart"/>).
    /// </summary>
    public static RunClock? Of(DateTimeOffset recordedFirst, DateTimeOffset recordedLast, DateTimeOffset runFirst, DateTimeOffset runLast, TimeSpan? fixedShift = null) =>
        !IsKnownStart(recordedFirst) || !IsKnownStart(runFirst) || recordedLast < recordedFirst || runLast < runFirst
            ? null
            : new RunClock(recordedFirst, recordedLast, runFirst, runLast) { FixedShift = fixedShift };

    /// <summary>
    /// False for an exchange start that tells no time: none (default), or one before 2000, a placeholder a HAR exporter
    /// wrote (the Unix epoch).
    /// </summary>
    internal static bool IsKnownStart(DateTimeOffset started) => started >= EarliestKnownStart;

    /// <summary>A results header's <c>timeShift</c> when it names a fixed shift (<c>172800s</c>, <c>-129600000ms</c>); null for <c>auto</c>, <c>off</c> or none.</summary>
    public static TimeSpan? FixedShiftOf(string? timeShift)
    {
        if (timeShift is null)
        {
            return null;
        }

        var negative = timeShift.StartsWith('-');
        return Core.Text.DurationText.TryParse(negative ? timeShift[1..] : timeShift, out var by, requireUnit: true) ? (negative ? -by : by) : null;
    }
}
