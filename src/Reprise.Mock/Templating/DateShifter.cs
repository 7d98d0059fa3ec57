using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Reprise.Mock.Templating;

/// <summary>
/// Moves recorded timestamps forward by (now - recording start) so "created 5 minutes ago" stays
/// 5 minutes ago: ISO-8601 date-times in text bodies, RFC 1123 dates in Date/Expires/Last-Modified.
/// </summary>
internal static partial class DateShifter
{
    public static ReadOnlyMemory<byte> ShiftBody(ReadOnlyMemory<byte> body, TimeSpan offset)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return body;
        }

        var text = Encoding.UTF8.GetString(body.Span);
        var shifted = Iso().Replace(text, match => ShiftIso(match.Value, offset));
        return ReferenceEquals(shifted, text) ? body : Encoding.UTF8.GetBytes(shifted);
    }

    public static string ShiftHeader(string value, TimeSpan offset) =>
        DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            && TryAdd(date, offset, out var shifted)
            ? shifted.ToString("r", CultureInfo.InvariantCulture)
            : value;

    public static bool IsDateHeader(string name) =>
        name.Equals("date", StringComparison.OrdinalIgnoreCase) || name.Equals("expires", StringComparison.OrdinalIgnoreCase) || name.Equals("last-modified", StringComparison.OrdinalIgnoreCase);

    private static string ShiftIso(string value, TimeSpan offset)
    {
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            || !TryAdd(date, offset, out var shifted))
        {
            return value;
        }

        var t = value.IndexOf('T', StringComparison.Ordinal);
        var dot = value.IndexOf('.', t);
        var fraction = 0;
        if (dot > 0)
        {
            while (dot + 1 + fraction < value.Length && char.IsAsciiDigit(value[dot + 1 + fraction]))
            {
                fraction++;
            }
        }

        var format = "yyyy-MM-dd'T'HH:mm:ss" + (fraction > 0 ? "." + new string('f', Math.Min(fraction, 7)) : string.Empty);
        if (value.EndsWith('Z'))
        {
            return shifted.UtcDateTime.ToString(format, CultureInfo.InvariantCulture) + "Z";
        }

        return shifted.ToString(format + "zzz", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Sentinel dates (9999-12-31, 0001-01-01) cannot move past the calendar's ends: they stay as
    /// recorded instead of failing the whole response.
    /// </summary>
    private static bool TryAdd(DateTimeOffset date, TimeSpan offset, out DateTimeOffset shifted)
    {
        try
        {
            shifted = date.Add(offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            shifted = date;
            return false;
        }
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})", RegexOptions.CultureInvariant)]
    private static partial Regex Iso();
}
