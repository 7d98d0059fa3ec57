using System.Globalization;
using System.Text.RegularExpressions;

namespace Reprise.Diff.Noise;

/// <summary>
/// Recognises values that change on every call by design: when the recorded and the new value are
/// different but of the same volatile format (two UUIDs, two timestamps, two random tokens of one
/// length), the change is noise, not a regression. A value that changes format (a UUID becoming
/// null or a word) is still a difference.
/// </summary>
public static partial class VolatileFormats
{
    /// <summary>2000-01-01 in Unix seconds: the earliest ten-digit number read as an epoch timestamp.</summary>
    private const long EarliestEpoch = 946_684_800;

    /// <summary>
    /// Two years from now in Unix seconds, and never a North American phone number: the latest one. Timestamps a
    /// service writes are near the present (expiry times a little ahead); ten-digit numbers further out are most often
    /// something else, e.g. every North American phone number (area codes start at 201, so 2,010,000,000 and up).
    /// </summary>
    private static readonly long s_latestEpoch = Math.Min(TimeProvider.System.GetUtcNow().AddYears(2).ToUnixTimeSeconds(), LowestNanpPhone - 1);

    /// <summary>The smallest ten-digit North American number (area code 201): 2033-09-11 as Unix seconds.</summary>
    private const long LowestNanpPhone = 2_010_000_000;

    /// <summary>
    /// 10^17: an integer of 18 to 20 digits is a random or time-based 64-bit id (etcd's cluster and member ids,
    /// Snowflake ids, a lease id): counters and amounts do not get that large, and such ids differ between instances.
    /// </summary>
    private const ulong MinRandomId = 100_000_000_000_000_000;

    /// <summary>The format <see cref="Of"/> names an ISO 8601 or RFC 1123 date and time (or a date alone).</summary>
    public const string TimestampFormat = "timestamp";

    /// <summary>The format <see cref="Of"/> names Unix seconds or milliseconds.</summary>
    public const string EpochFormat = "epoch timestamp";

    /// <summary>The format <see cref="Of"/> names a clock time alone (<c>HH:MM</c>, <c>HH:MM:SS</c>).</summary>
    public const string TimeOfDayFormat = "time of day";

    /// <summary>The format both values share, or null when they are not volatile values of one format.</summary>
    public static string? Shared(string? expected, string? actual)
    {
        if (expected is null || actual is null || expected.Length == 0 || actual.Length == 0)
        {
            return null;
        }

        var a = Of(expected);
        return a is not null && a == Of(actual) && (a != "random token" || expected.Length == actual.Length)
            && (a != "revision" || string.Equals(expected[..expected.IndexOf('-')], actual[..actual.IndexOf('-')], StringComparison.Ordinal)) ? a : null;
    }

    /// <summary>
    /// The format of the volatile values two texts differ by, when they differ by nothing else: the same words and
    /// separators in the same order, every differing word pair a pair of one volatile format (<see cref="Shared"/>).
    /// Icinga 2 names a comment <c>web-01!57ec86c2-770c-…</c> and answers <c>Successfully removed comment
    /// 'web-01!57ec86c2-…'.</c>: a new UUID in a name or a message is as volatile as a UUID alone. Redaction tokens are
    /// never volatile (<c>tok_id_…</c> is not a random token), so a changed token in a text is still a difference. Only
    /// texts a difference holds whole (up to <see cref="Model.Difference.MaxValueLength"/> characters) are judged.
    /// </summary>
    /// <param name="expected">The recorded text.</param>
    /// <param name="actual">The new text.</param>
    /// <param name="accept">Asked for each differing word pair with its shared format; false makes the texts a real difference.</param>
    public static string? SharedWithin(string? expected, string? actual, Func<string, string, string, bool>? accept = null)
    {
        // A value longer than a difference keeps was shortened (Difference.Shorten): what was cut off may differ too.
        if (expected is null || actual is null || expected.Length is < 8 or > Model.Difference.MaxValueLength || actual.Length is < 8 or > Model.Difference.MaxValueLength)
        {
            return null;
        }

        var a = EmbeddedWords().Matches(expected);
        var b = EmbeddedWords().Matches(actual);
        if (a.Count != b.Count || a.Count < 2 || a.Count > 512)
        {
            return null;
        }

        string? format = null;
        for (var i = 0; i < a.Count; i++)
        {
            var x = a[i].Value;
            var y = b[i].Value;
            if (string.Equals(x, y, StringComparison.Ordinal))
            {
                continue;
            }

            if (Shared(x, y) is not { } shared || (accept is not null && !accept(x, y, shared)))
            {
                return null; // another word or separator changed: a real difference
            }

            format ??= shared;
        }

        return format;
    }

    /// <summary>The volatile format of one value, or null.</summary>
    public static string? Of(string value)
    {
        // A clock time alone (HH:MM, HH:MM:SS), as a date alone is a timestamp: Tiny Tiny RSS's counters say when a feed
        // was last updated ("13:23" recorded, "13:25" on the replay), which no fixed recording can match (QA round 13b).
        if (value.Length is 5 or 8 && TimeOfDay().IsMatch(value))
        {
            return TimeOfDayFormat;
        }

        if (value.Length is < 8 or > 4096)
        {
            return null;
        }

        if (Guid.TryParseExact(value, "D", out _) || Guid.TryParseExact(value, "N", out _) || Guid.TryParseExact(value, "B", out _))
        {
            return "UUID";
        }

        // A UUID as a URN (RFC 9562 urn:uuid:…) or as UPnP writes a device's UDN and a GENA subscription id (uuid:…).
        if (UuidUrnPrefix(value) is var prefix and > 0 && Guid.TryParseExact(value.AsSpan(prefix), "D", out _))
        {
            return "UUID URN";
        }

        if (Iso8601().IsMatch(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            return TimestampFormat;
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return TimestampFormat;
        }

        if (Epoch().IsMatch(value) && long.TryParse(value.AsSpan(0, value.IndexOf('.') is var dot and >= 0 ? dot : value.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            && (epoch >= EarliestEpoch && epoch <= s_latestEpoch || epoch >= EarliestEpoch * 1000 && epoch <= s_latestEpoch * 1000))
        {
            return EpochFormat;
        }

        if (value.Length is >= 18 and <= 20 && ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= MinRandomId)
        {
            return "64-bit id";
        }

        if (Jwt().IsMatch(value))
        {
            return "JWT";
        }

        // A document revision: a generation, '-', then a hash (CouchDB and PouchDB's _rev "3-eeafad13…", the rev their
        // replies and ETags carry): the hash covers the content and history, so every instance writes its own. Only one
        // generation is noise: "1-…" becoming "2-…" is one more update.
        if (Revision().Match(value) is { Success: true } revision && IsRandomToken(revision.Groups["hash"].Value))
        {
            return "revision";
        }

        if (ObjectId().IsMatch(value))
        {
            return "random token";
        }

        return IsRandomToken(value) || IsUpperCaseToken(value) ? "random token" : null;
    }

    /// <summary>The length of a leading <c>urn:uuid:</c> or <c>uuid:</c> (any case), else 0.</summary>
    private static int UuidUrnPrefix(string value) =>
        value.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? "urn:uuid:".Length
        : value.StartsWith("uuid:", StringComparison.OrdinalIgnoreCase) ? "uuid:".Length
        : 0;

    /// <summary>
    /// An upper-case random id of one of two shapes: dash-separated groups (3+ groups of 4+ letters and digits, 26+ of
    /// them): a Syncthing device id (<c>OHG7DEX-F5I4LY4-…</c>, 8 groups of 7, in the <c>X-Syncthing-Id</c> header and
    /// <c>myID</c> of every answer, new per installation); or a ULID (26 Crockford base32 characters, the first 0-7).
    /// Base64 needs both cases; these have one. An undashed upper-case code of another length is not one of them: an IBAN
    /// (<c>MT84MALT011000012345MTLCAST001S</c>) or a booking reference is data, and its change a difference.
    /// </summary>
    private static bool IsUpperCaseToken(string value)
    {
        if (value.Length is < 26 or > 128)
        {
            return false;
        }

        if (value.Length == 26 && value[0] is >= '0' and <= '7')
        {
            var ulid = true;
            foreach (var c in value)
            {
                if (!(char.IsAsciiDigit(c) || (char.IsAsciiLetterUpper(c) && c is not ('I' or 'L' or 'O' or 'U'))))
                {
                    ulid = false;
                    break;
                }
            }

            if (ulid && value.Count(char.IsAsciiLetter) >= 3)
            {
                return true;
            }
        }

        int letters = 0, digits = 0, group = 0, groups = 1;
        foreach (var c in value)
        {
            if (c == '-')
            {
                if (group < 4)
                {
                    return false;
                }

                group = 0;
                groups++;
                continue;
            }

            if (char.IsAsciiLetterUpper(c))
            {
                letters++;
            }
            else if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else
            {
                return false;
            }

            group++;
        }

        return groups >= 3 && group >= 4 && letters + digits >= 26 && letters >= 3 && digits >= 3;
    }

    /// <summary>Hex of 16+ characters, or base64/base64url of 20+ mixing upper, lower and digits.</summary>
    private static bool IsRandomToken(string value)
    {
        if (value.Length >= 16 && value.All(char.IsAsciiHexDigit) && value.Any(char.IsAsciiDigit) && value.Any(char.IsAsciiLetter))
        {
            return true;
        }

        if (value.Length < 20 || !Base64ish().IsMatch(value))
        {
            return false;
        }

        return value.Any(char.IsAsciiLetterUpper) && value.Any(char.IsAsciiLetterLower) && value.Any(char.IsAsciiDigit);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$")]
    private static partial Regex Iso8601();

    [GeneratedRegex(@"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimeOfDay();

    [GeneratedRegex(@"^\d{10}((\d{3})?|\.\d{1,9})$")]
    private static partial Regex Epoch();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"^[0-9a-f]{24}$")]
    private static partial Regex ObjectId();

    [GeneratedRegex(@"^(?<generation>[1-9][0-9]{0,8})-(?<hash>[0-9a-f]{16,64})$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Revision();

    /// <summary>Runs a UUID, timestamp or token is made of (not <c>/</c>: paths split at it), and the runs between them.</summary>
    [GeneratedRegex(@"[A-Za-z0-9+=_\-.:]+|[^A-Za-z0-9+=_\-.:]+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex EmbeddedWords();

    [GeneratedRegex(@"^[A-Za-z0-9+/_-]+={0,2}$")]
    private static partial Regex Base64ish();
}
