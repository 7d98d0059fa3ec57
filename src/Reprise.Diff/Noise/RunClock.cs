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
        var low = RunFirst - RecordedLast - widen;
        var high = RunLast - RecordedFirst + widen;
        if (!day)
        {
            return shift >= low && shift <= high;
        }

        if (high - low >= TimeSpan.FromDays(1))
        {
            return true;
        }

        // The shift modulo a day: some whole number of days added to it falls inside [low, high].
        var days = Math.Ceiling((low - shift).TotalDays);
        return shift + TimeSpan.FromDays(days) <= high;
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
                var whole = value.IndexOf('.') is var dot and >= 0 ? value[..dot] : value;
                if (!long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    return false;
                }

                resolution = whole.Length == 13 ? TimeSpan.FromMilliseconds(1) : resolution;
                instant = whole.Length == 13 ? DateTimeOffset.FromUnixTimeMilliseconds(number) : DateTimeOffset.FromUnixTimeSeconds(number);
                return true;
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

    /// <summary>A clock for two windows, or null when either side's times are unknown (a HAR without them).</summary>
    public static RunClock? Of(DateTimeOffset recordedFirst, DateTimeOffset recordedLast, DateTimeOffset runFirst, DateTimeOffset runLast) =>
        recordedFirst == default || runFirst == default || recordedLast < recordedFirst || runLast < runFirst
            ? null
            : new RunClock(recordedFirst, recordedLast, runFirst, runLast);
}
