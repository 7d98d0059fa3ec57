using System.Text.RegularExpressions;

namespace Reprise.Mock.Matching;

/// <summary>
/// Values whose format says they change on every call: UUIDs, ISO-8601 / RFC 1123 timestamps, Unix
/// epoch seconds or milliseconds, and long random tokens (nonces). The volatile tier masks them.
/// </summary>
internal sealed partial class VolatileFormats
{
    public static readonly VolatileFormats Default = new(10);

    private readonly int _minLength;

    private VolatileFormats(int minLength) => _minLength = minLength;

    public bool IsVolatileValue(string value)
    {
        var span = value.AsSpan().Trim('"');
        if (span.Length < _minLength)
        {
            return false;
        }

        return IsUuid(span) || IsoTimestamp().IsMatch(span) || Rfc1123().IsMatch(span) || IsEpoch(span) || IsNonce(span);
    }

    public static bool IsUuid(ReadOnlySpan<char> value) =>
        value.Trim('"').Length is 36 or 32 && Guid.TryParse(value.Trim('"'), out _);

    private static bool IsEpoch(ReadOnlySpan<char> value)
    {
        if (value.Length is not (10 or 13) || !long.TryParse(value, out var number))
        {
            return false;
        }

        // 2001-09-09 .. 2286 in seconds, or the same range in milliseconds.
        return value.Length == 10 ? number >= 1_000_000_000 : number >= 1_000_000_000_000;
    }

    private static bool IsNonce(ReadOnlySpan<char> value)
    {
        if (value.Length < 16 || value.Length > 256)
        {
            return false;
        }

        int letters = 0, digits = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiLetter(c))
            {
                letters++;
            }
            else if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c is not ('-' or '_' or '+' or '/' or '='))
            {
                return false;
            }
        }

        // Random tokens mix letters and digits densely; words and slugs do not.
        return (digits >= 3 && letters >= 3 && digits * 6 >= value.Length) || IsBase64Id(value, digits);
    }

    /// <summary>
    /// Base64 of random bytes (a digest or id: PouchDB's replication checkpoint <c>_local/IsUJUasTrZ3kKF6DQXQJhw==</c>, new
    /// for every replicating client) holds few digits, so the density test above missed it: both cases and a digit, and
    /// either padding or no run of five lower-case letters (camelCase words have them: <c>getUserProfileByIdV2</c>).
    /// </summary>
    /// <summary>A path segment that is a random id the client made (a UUID, or base64 of random bytes: <see cref="IsBase64Id"/>).</summary>
    public static bool IsPathId(string value)
    {
        if (IsUuid(value))
        {
            return true;
        }

        var digits = 0;
        foreach (var c in value)
        {
            // '.' too: PouchDB writes its base64 checkpoint ids with '/' as '.' and '+' as '_' (6TH3n.NzqO87w6naqYekPg==).
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '+' or '/' or '=' or '.'))
            {
                return false;
            }

            digits += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return value.Length <= 256 && IsBase64Id(value, digits);
    }

    private static bool IsBase64Id(ReadOnlySpan<char> value, int digits)
    {
        if (digits == 0 || value.Length < 16 || value.ContainsAny('-', '/') && value.ContainsAny('_', '+'))
        {
            return false;
        }

        bool upper = false, lower = false;
        int run = 0, longest = 0;
        foreach (var c in value)
        {
            upper |= char.IsAsciiLetterUpper(c);
            lower |= char.IsAsciiLetterLower(c);
            run = char.IsAsciiLetterLower(c) ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return upper && lower && (value[^1] == '=' || (value.Length >= 20 && longest < 5));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex IsoTimestamp();

    [GeneratedRegex(@"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$")]
    private static partial Regex Rfc1123();
}
