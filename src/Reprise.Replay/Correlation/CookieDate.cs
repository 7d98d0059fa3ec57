namespace Reprise.Replay.Correlation;

/// <summary>
/// A cookie date read as a browser reads one (RFC 6265 5.1.1): tokens between delimiters, the first time
/// (<c>hh:mm:ss</c>), day of month, month name and year found, whatever the weekday or the layout says
/// (<c>Thu, 01 Jan 1970 00:00:00 GMT</c>, <c>Thursday, 01-Jan-70 …</c>, asctime's <c>Thu Jan  1 00:00:00 1970</c>).
/// </summary>
internal static class CookieDate
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>The date in UTC; false when the text is not a cookie date.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset date)
    {
        date = default;
        int? hour = null, minute = null, second = null, day = null, month = null, year = null;
        for (var i = 0; i < text.Length;)
        {
            while (i < text.Length && IsDelimiter(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && !IsDelimiter(text[i]))
            {
                i++;
            }

            var token = text[start..i];
            if (token.IsEmpty)
            {
                continue;
            }

            if (hour is null && Time(token) is { } time)
            {
                (hour, minute, second) = time;
            }
            else if (day is null && Digits(token, 1, 2) is { } d)
            {
                day = d;
            }
            else if (month is null && Month(token) is { } found)
            {
                month = found;
            }
            else if (year is null && Digits(token, 2, 4) is { } y)
            {
                year = y is >= 70 and <= 99 ? y + 1900 : y is >= 0 and <= 69 ? y + 2000 : y;
            }
        }

        if (hour is not { } h || day is not { } dd || month is not { } mm || year is not { } yy || yy < 1601 || dd is < 1 or > 31 || h > 23 || minute > 59 || second > 59
            || dd > DateTime.DaysInMonth(yy, mm))
        {
            return false;
        }

        date = new DateTimeOffset(yy, mm, dd, h, minute!.Value, second!.Value, TimeSpan.Zero);
        return true;
    }

    /// <summary>1 to 12 for a token starting with a month's first three letters (any case); null otherwise.</summary>
    private static int? Month(ReadOnlySpan<char> token)
    {
        if (token.Length < 3)
        {
            return null;
        }

        for (var m = 0; m < Months.Length; m++)
        {
            if (token[..3].Equals(Months[m], StringComparison.OrdinalIgnoreCase))
            {
                return m + 1;
            }
        }

        return null;
    }

    // RFC 6265 5.1.1 delimiter: %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E.
    private static bool IsDelimiter(char c) => c == '\t' || c is >= ' ' and <= '/' || c is >= ';' and <= '@' || c is >= '[' and <= '`' || c is >= '{' and <= '~';

    /// <summary>A run of <paramref name="min"/> to <paramref name="max"/> digits at the token's start, followed by a non-digit or nothing.</summary>
    private static int? Digits(ReadOnlySpan<char> token, int min, int max)
    {
        var n = 0;
        while (n < token.Length && char.IsAsciiDigit(token[n]))
        {
            n++;
        }

        return n >= min && n <= max ? int.Parse(token[..n], System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static (int, int, int)? Time(ReadOnlySpan<char> token)
    {
        var parts = new int[3];
        var at = 0;
        for (var p = 0; p < 3; p++)
        {
            var n = 0;
            while (at + n < token.Length && n < 3 && char.IsAsciiDigit(token[at + n]))
            {
                n++;
            }

            if (n is < 1 or > 2)
            {
                return null;
            }

            parts[p] = int.Parse(token.Slice(at, n), System.Globalization.CultureInfo.InvariantCulture);
            at += n;
            if (p < 2)
            {
                if (at >= token.Length || token[at] != ':')
                {
                    return null;
                }

                at++;
            }
        }

        return (parts[0], parts[1], parts[2]);
    }
}
