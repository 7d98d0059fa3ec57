using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Reprise.Core.Text;

/// <summary>
/// Moves the dates and timestamps found in text (URLs, headers, JSON or any text body) by a fixed
/// offset, usually <c>now − recording start</c>, so a recording from last month asks for, or
/// answers with, "today". Used by replay's <c>--time-shift</c> and the mock's <c>shiftDates</c>.
/// </summary>
/// <remarks>
/// Each value keeps its recorded shape: separator, seconds present or not, fraction digits (up to
/// nine; digits past the seventh are sub-tick and kept verbatim), zone text (<c>Z</c>, <c>+02:00</c>,
/// <c>+0200</c>, <c>+02</c>, none) and the RFC 1123 day width. Sentinels (any value in year 1 or
/// 9999, such as <c>9999-12-31</c> or <c>0001-01-01</c>), a value whose shifted instant or wall
/// clock would leave the calendar, an epoch whose digit count would change, and anything that is
/// not a real date (<c>2026-02-30</c>, a wrong weekday) stay as recorded; shifting never throws. Epoch numbers shift only within a year of the recording start, so ids
/// and phone numbers of ten or thirteen digits are left alone; microsecond and nanosecond epochs (the sizes of 64-bit
/// ids) only within a week of it. Epochs are 10 (seconds), 13 (ms), 16 (µs) or 19 (ns) digits,
/// optionally followed by the unit their length implies (<c>1795737474s</c>, <c>…000ms</c>, <c>…ns</c>, InfluxQL style).
/// </remarks>
public sealed partial class TimeShifter
{
    private const long EpochWindowSeconds = 366L * 24 * 3600;

    // Microsecond and nanosecond epochs have 16 and 19 digits, the sizes of random and Snowflake 64-bit ids: a year's window
    // would take almost one such id in a hundred for a time. Within a week of the recording start it is about one in ten
    // thousand, and the times clients send in such units (a write's "now", an OTLP span, a recent query range) fall inside.
    private const long FineEpochWindowSeconds = 7L * 24 * 3600;
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] Weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    private readonly TimeShiftFormats _formats;
    private readonly long _epochLow;
    private readonly long _epochHigh;
    private readonly long _fineEpochLow;
    private readonly long _fineEpochHigh;
    private readonly MatchEvaluator _evaluator;

    /// <summary>A shifter moving values by <paramref name="offset"/>.</summary>
    /// <param name="offset">How far to move every value (negative moves back).</param>
    /// <param name="recordingStart">When the recording started: epoch numbers are only taken as times within a year of it.</param>
    /// <param name="formats">Which kinds of values to move.</param>
    public TimeShifter(TimeSpan offset, DateTimeOffset recordingStart, TimeShiftFormats formats = TimeShiftFormats.All)
    {
        Offset = offset;
        _formats = formats;
        var start = recordingStart.ToUnixTimeSeconds();
        _epochLow = start - EpochWindowSeconds;
        _epochHigh = start + EpochWindowSeconds;
        _fineEpochLow = start - FineEpochWindowSeconds;
        _fineEpochHigh = start + FineEpochWindowSeconds;
        _evaluator = Evaluate;
    }

    /// <summary>How far values move.</summary>
    public TimeSpan Offset { get; }

    /// <summary>Which kinds of values move.</summary>
    public TimeShiftFormats Formats => _formats;

    /// <summary>The shifted text (the same instance when nothing changed).</summary>
    public string Shift(string text)
    {
        if (_formats == TimeShiftFormats.None || Offset == TimeSpan.Zero || text.Length < 8 || !HasDigitRun(text.AsSpan()))
        {
            return text;
        }

        try
        {
            var shifted = Candidate().Replace(text, _evaluator);
            return string.Equals(shifted, text, StringComparison.Ordinal) ? text : shifted;
        }
        catch (RegexMatchTimeoutException)
        {
            return text; // pathological input: leave it as recorded rather than fail the exchange
        }
    }

    /// <summary>The shifted UTF-8 body (the same memory when it is not UTF-8 text or nothing changed).</summary>
    public ReadOnlyMemory<byte> Shift(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Length < 8 || !HasDigitRun(utf8.Span) || !System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            return utf8;
        }

        var text = Encoding.UTF8.GetString(utf8.Span);
        var shifted = Shift(text);
        return ReferenceEquals(shifted, text) ? utf8 : Encoding.UTF8.GetBytes(shifted);
    }

    private string Evaluate(Match match)
    {
        var groups = match.Groups;
        if (groups["dt"].Success)
        {
            return (_formats & TimeShiftFormats.IsoDateTime) != 0 ? ShiftDateTime(match) : match.Value;
        }

        if (groups["date"].Success)
        {
            return (_formats & TimeShiftFormats.IsoDate) != 0 ? ShiftDate(match) : match.Value;
        }

        if (groups["http"].Success)
        {
            return (_formats & TimeShiftFormats.HttpDate) != 0 ? ShiftHttpDate(match) : match.Value;
        }

        if (groups["fe"] is { Success: true } seconds)
        {
            // Epoch seconds with a fraction (Prometheus' start/end/time, Python's time.time(), Slack's ts): the seconds
            // move, the fraction stays.
            var whole = long.Parse(seconds.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            return (_formats & TimeShiftFormats.EpochSeconds) != 0 && whole >= _epochLow && whole <= _epochHigh
                ? ShiftEpoch(seconds.Value, whole, Offset.Ticks / TimeSpan.TicksPerSecond) + match.Value[seconds.Length..]
                : match.Value;
        }

        // A bare epoch, or one with the unit its digit count implies (InfluxQL's time >= 1795737474s, 1795737474000ms).
        var digits = groups["ep"].Value;
        var unit = groups["unit"].Value;
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return match.Value;
        }

        var (flag, perSecond, expected) = digits.Length switch
        {
            10 => (TimeShiftFormats.EpochSeconds, 1L, "s"),
            13 => (TimeShiftFormats.EpochMilliseconds, 1_000L, "ms"),
            16 => (TimeShiftFormats.EpochMicroseconds, 1_000_000L, "us"),
            _ => (TimeShiftFormats.EpochNanoseconds, 1_000_000_000L, "ns"),
        };
        var unitFits = unit.Length == 0 || unit == expected || (perSecond == 1_000_000L && unit is "u" or "µs");
        var (low, high) = perSecond >= 1_000_000L ? (_fineEpochLow, _fineEpochHigh) : (_epochLow, _epochHigh);
        if (!unitFits || (_formats & flag) == 0 || number / perSecond < low || number / perSecond > high)
        {
            return match.Value;
        }

        // Every unit moves by the same whole seconds: a point written with seconds precision and the nanosecond range
        // that selects it (1795737474 and 1795737474000000000) stay equal after the shift.
        var delta = Offset.Ticks / TimeSpan.TicksPerSecond * perSecond;
        return ShiftEpoch(digits, number, delta) + unit;
    }

    /// <summary>The moved number when it keeps its digit count (its format); as recorded otherwise.</summary>
    private static string ShiftEpoch(string value, long number, long delta)
    {
        var limit = value.Length switch { 10 => 9_999_999_999L, 13 => 9_999_999_999_999L, 16 => 9_999_999_999_999_999L, _ => long.MaxValue / 2 };
        if (delta > limit || delta < -limit || (delta > 0 && number > long.MaxValue - delta))
        {
            return value;
        }

        var shifted = (number + delta).ToString(CultureInfo.InvariantCulture);
        return shifted.Length == value.Length ? shifted : value;
    }

    /// <summary>
    /// Years 1 and 9999 only hold sentinels ("not set", "never expires": <c>default(DateTime)</c>,
    /// <c>DateTime.MaxValue</c>); moving one would turn it into a real-looking date, so they stay.
    /// </summary>
    private static bool IsSentinelYear(int year) => year is 1 or 9999;

    private string ShiftDateTime(Match match)
    {
        var g = match.Groups;
        var fractionDigits = g["fd"].Value;
        var hasSeconds = g["s"].Success;
        if (!TryDate(g["y"].Value, g["mo"].Value, g["d"].Value, out var date)
            || !TryClock(Int(g["h"].Value), Int(g["mi"].Value), hasSeconds ? Int(g["s"].Value) : 0, out var clock))
        {
            return match.Value;
        }

        var wall = date.Ticks + clock + FractionTicks(fractionDigits);
        var zoneTicks = 0L;
        if (g["zh"].Success)
        {
            var hours = Int(g["zh"].Value);
            var minutes = g["zm"].Success ? Int(g["zm"].Value) : 0;
            if (hours > 14 || minutes > 59 || hours * 60 + minutes > 14 * 60)
            {
                return match.Value;
            }

            zoneTicks = (g["zs"].Value == "-" ? -1 : 1) * ((hours * 60L) + minutes) * TimeSpan.TicksPerMinute;
        }

        // Both the wall clock and the instant it names must stay inside the calendar after the move.
        if (!TryAddTicks(wall, Offset.Ticks, out var shiftedWall) || !TryAddTicks(shiftedWall, -zoneTicks, out _) || !TryAddTicks(wall, -zoneTicks, out _))
        {
            return match.Value;
        }

        var shifted = new DateTime(shiftedWall, DateTimeKind.Unspecified);
        var builder = new StringBuilder(match.Length);
        builder.Append(shifted.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(g["sep"].Value)
            .Append(shifted.ToString("HH:mm", CultureInfo.InvariantCulture));
        if (hasSeconds)
        {
            builder.Append(shifted.ToString(":ss", CultureInfo.InvariantCulture));
        }

        if (g["frac"].Success)
        {
            var ticks = (shiftedWall % TimeSpan.TicksPerSecond).ToString("0000000", CultureInfo.InvariantCulture);
            builder.Append(g["frac"].Value[0]);
            builder.Append(ticks, 0, Math.Min(7, fractionDigits.Length));
            if (fractionDigits.Length > 7)
            {
                builder.Append(fractionDigits, 7, fractionDigits.Length - 7); // sub-tick digits: the offset has none
            }
        }

        return builder.Append(g["zone"].Value).ToString();
    }

    private string ShiftDate(Match match)
    {
        var g = match.Groups;
        if (!TryDate(g["y2"].Value, g["mo2"].Value, g["d2"].Value, out var date))
        {
            return match.Value;
        }

        var days = Math.Round(Offset.TotalDays);
        return Math.Abs(days) <= 3_700_000 && TryAddTicks(date.Ticks, (long)days * TimeSpan.TicksPerDay, out var shifted)
            ? new DateTime(shifted).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : match.Value;
    }

    private string ShiftHttpDate(Match match)
    {
        var g = match.Groups;
        var month = Array.IndexOf(Months, g["hmo"].Value) + 1;
        var day = g["hd"].Value;
        if (!TryDate(g["hy"].Value, month.ToString("00", CultureInfo.InvariantCulture), day, out var date)
            || Weekdays[(int)date.DayOfWeek] != g["wd"].Value
            || !TryClock(Int(g["hh"].Value), Int(g["hmi"].Value), Int(g["hs"].Value), out var clock))
        {
            return match.Value;
        }

        var zone = g["hz"].Value;
        var zoneTicks = 0L;
        if (zone[0] is '+' or '-')
        {
            var hours = Int(zone.Substring(1, 2));
            var minutes = Int(zone.Substring(3, 2));
            if (hours > 14 || minutes > 59 || hours * 60 + minutes > 14 * 60)
            {
                return match.Value;
            }

            zoneTicks = (zone[0] == '-' ? -1 : 1) * ((hours * 60L) + minutes) * TimeSpan.TicksPerMinute;
        }

        var wall = date.Ticks + clock;
        if (!TryAddTicks(wall, Offset.Ticks, out var shiftedWall) || !TryAddTicks(shiftedWall, -zoneTicks, out _) || !TryAddTicks(wall, -zoneTicks, out _))
        {
            return match.Value;
        }

        var shifted = new DateTime(shiftedWall);
        var dayFormat = day.Length == 1 ? "%d" : "dd";
        return string.Concat(
            Weekdays[(int)shifted.DayOfWeek], ", ",
            shifted.ToString(dayFormat, CultureInfo.InvariantCulture), " ",
            Months[shifted.Month - 1], " ",
            shifted.ToString("yyyy HH:mm:ss", CultureInfo.InvariantCulture), " ",
            zone);
    }

    private static bool TryDate(string year, string month, string day, out DateTime date)
    {
        date = default;
        int y = Int(year), m = Int(month), d = Int(day);
        if (y < 1 || IsSentinelYear(y) || m < 1 || m > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }

        date = new DateTime(y, m, d, 0, 0, 0, DateTimeKind.Unspecified);
        return true;
    }

    private static bool TryClock(int hour, int minute, int second, out long ticks)
    {
        ticks = (((hour * 60L) + minute) * 60 + second) * TimeSpan.TicksPerSecond;
        return hour < 24 && minute < 60 && second < 60;
    }

    private static long FractionTicks(string digits)
    {
        long ticks = 0;
        for (var i = 0; i < 7; i++)
        {
            ticks = ticks * 10 + (i < digits.Length ? digits[i] - '0' : 0);
        }

        return ticks;
    }

    /// <summary><paramref name="ticks"/> + <paramref name="delta"/> when it stays within DateTime's range, without overflow.</summary>
    private static bool TryAddTicks(long ticks, long delta, out long result)
    {
        result = ticks;
        if (delta > 0 ? ticks > DateTime.MaxValue.Ticks - delta : delta < -ticks)
        {
            return false;
        }

        result = ticks + delta;
        return true;
    }

    private static int Int(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    private static bool HasDigitRun(ReadOnlySpan<char> text)
    {
        var run = 0;
        foreach (var c in text)
        {
            run = char.IsAsciiDigit(c) ? run + 1 : 0;
            if (run == 4)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasDigitRun(ReadOnlySpan<byte> utf8)
    {
        var run = 0;
        foreach (var b in utf8)
        {
            run = b is >= (byte)'0' and <= (byte)'9' ? run + 1 : 0;
            if (run == 4)
            {
                return true;
            }
        }

        return false;
    }

    // Each alternative is atomic, so a value followed by a word character (an id, a longer number)
    // is skipped whole rather than shortened until the boundary check passes. An epoch joined by a hyphen to a word with
    // letters is part of an identifier (a CalDAV client's qa15b-1795800000-ev; QA round 15b), not a time.
    [GeneratedRegex("""
        (?<![\w.])(?:
          (?>(?<dt>(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})(?<sep>[Tt ])(?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2})(?<frac>[.,](?<fd>\d{1,9}))?)?(?<zone>Z|z|(?<zs>[+-])(?<zh>\d{2})(?::?(?<zm>\d{2}))?)?))
        | (?>(?<date>(?<y2>\d{4})-(?<mo2>\d{2})-(?<d2>\d{2})))
        | (?>(?<http>(?<wd>Mon|Tue|Wed|Thu|Fri|Sat|Sun),\x20(?<hd>\d{1,2})\x20(?<hmo>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\x20(?<hy>\d{4})\x20(?<hh>\d{2}):(?<hmi>\d{2}):(?<hs>\d{2})\x20(?<hz>GMT|UTC|UT|[+-]\d{4})))
        | (?>(?<fe>\d{10})\.\d{1,9})
        | (?>(?<![A-Za-z]\w*-)(?<ep>\d{19}|\d{16}|\d{13}|\d{10})(?<unit>ns|us|µs|u|ms|s)?(?!-\w*[A-Za-z]))
        )(?!\w|\.\w)
        """, RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex Candidate();
}
