using System.Globalization;
using System.Text.RegularExpressions;

namespace Reprise.Replay.TimeShift;

/// <summary>
/// Shifts timestamps and dates in request text by a fixed offset (now − recording start), so a
/// recording from last month asks for "today": ISO-8601 date-times (keeping their precision and
/// offset style), plain ISO dates (by whole days), and Unix epoch seconds/milliseconds that fall
/// within a year of the recording.
/// </summary>
internal sealed partial class TimeShifter
{
    private readonly TimeSpan _offset;
    private readonly long _epochLow;
    private readonly long _epochHigh;

    public TimeShifter(TimeSpan offset, DateTimeOffset recordingStart)
    {
        _offset = offset;
        _epochLow = recordingStart.AddDays(-366).ToUnixTimeSeconds();
        _epochHigh = recordingStart.AddDays(366).ToUnixTimeSeconds();
    }

    public TimeSpan Offset => _offset;

    /// <summary>The shifted text (the same instance when nothing matched).</summary>
    public string Shift(string text)
    {
        if (text.Length < 8 || !HasDigitRun(text))
        {
            return text;
        }

        return Candidate().Replace(text, Evaluate);
    }

    /// <summary>Shifts by the offset when the result, in UTC and in its own offset, stays inside the calendar.</summary>
    private bool TryShift(DateTimeOffset value, out DateTimeOffset shifted)
    {
        var ticks = value.UtcTicks + _offset.Ticks;
        var local = ticks + value.Offset.Ticks;
        if (ticks < 0 || ticks > DateTime.MaxValue.Ticks || local < 0 || local > DateTime.MaxValue.Ticks)
        {
            shifted = value;
            return false;
        }

        shifted = value + _offset;
        return true;
    }

    private string Evaluate(Match match)
    {
        var value = match.Value;
        if (match.Groups["datetime"].Success)
        {
            var zone = match.Groups["zone"].Value;
            var styles = zone.Length == 0 ? DateTimeStyles.AssumeUniversal : DateTimeStyles.None;
            if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, styles, out var parsed))
            {
                return value;
            }

            if (!TryShift(parsed, out var shifted))
            {
                return value; // a sentinel near the calendar's ends (9999-12-31) stays as recorded
            }

            var fraction = match.Groups["fraction"].Value;
            var format = "yyyy-MM-dd'T'HH:mm:ss" + (fraction.Length > 1 ? "." + new string('f', Math.Min(7, fraction.Length - 1)) : string.Empty);
            var sep = match.Groups["sep"].Value;
            if (sep == " ")
            {
                format = format.Replace("'T'", " ", StringComparison.Ordinal);
            }

            return zone switch
            {
                "" => shifted.UtcDateTime.ToString(format, CultureInfo.InvariantCulture),
                "Z" or "z" => shifted.UtcDateTime.ToString(format, CultureInfo.InvariantCulture) + zone,
                _ => shifted.ToOffset(parsed.Offset).ToString(format, CultureInfo.InvariantCulture) + FormatOffset(parsed.Offset, zone.Contains(':', StringComparison.Ordinal)),
            };
        }

        if (match.Groups["date"].Success)
        {
            if (!DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return value;
            }

            var days = Math.Round(_offset.TotalDays);
            return (days > 0 ? (DateTime.MaxValue - date).TotalDays >= days : (date - DateTime.MinValue).TotalDays >= -days)
                ? date.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : value;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (value.Length == 10 && number >= _epochLow && number <= _epochHigh)
            {
                return (number + (long)_offset.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            if (value.Length == 13 && number / 1000 >= _epochLow && number / 1000 <= _epochHigh)
            {
                return (number + (long)_offset.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            }
        }

        return value;
    }

    private static string FormatOffset(TimeSpan offset, bool colon)
    {
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Hours:00}{(colon ? ":" : string.Empty)}{abs.Minutes:00}");
    }

    private static bool HasDigitRun(string text)
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

    [GeneratedRegex("""(?<![\w.])(?:(?<datetime>\d{4}-\d{2}-\d{2}(?<sep>[T ])\d{2}:\d{2}:\d{2}(?<fraction>\.\d{1,9})?(?<zone>Z|z|[+-]\d{2}:?\d{2})?)|(?<date>\d{4}-\d{2}-\d{2})|\d{13}|\d{10})(?![\w.])""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Candidate();
}
