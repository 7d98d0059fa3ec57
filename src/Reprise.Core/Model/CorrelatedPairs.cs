namespace Reprise.Core.Model;

/// <summary>
/// The <see cref="WellKnownTags.ReplayCorrelated"/> tag: the ids a replay learned in a session so far (recorded
/// value → the value the new build issued), as <c>old=new</c> pairs separated by spaces, so <c>diff</c> can tell a
/// new id replay correlated from a real change. Only id-shaped values are written (numbers, UUIDs, short slugs
/// with a digit): credentials and CSRF tokens learned the same way never reach the tag.
/// </summary>
public static class CorrelatedPairs
{
    /// <summary>Most pairs one tag holds.</summary>
    public const int MaxPairs = 32;

    /// <summary>True for a value the tag may hold: 1-20 digits, a UUID, up to 24 of <c>[A-Za-z0-9_-]</c> with a digit, or a redaction token (a keyed hash of an id).</summary>
    public static bool IsIdShaped(string value)
    {
        if (RedactedValue.IsKeyedToken(value))
        {
            return true;
        }

        if (value.Length is 0 or > 42)
        {
            return false;
        }

        var dot = value.LastIndexOf('.');
        if (dot > 0)
        {
            return IsResourceName(value.AsSpan(0, dot), value.AsSpan(dot + 1));
        }

        if (value.Length > 36)
        {
            return false;
        }

        if (value.Length == 36)
        {
            return Guid.TryParseExact(value, "D", out _);
        }

        var digits = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (!char.IsAsciiLetter(c) && c is not ('_' or '-'))
            {
                return false;
            }
        }

        return digits == value.Length ? value.Length <= 20 : digits > 0 && value.Length <= 24;
    }

    /// <summary>
    /// A resource named by an id and a file extension, as a CalDAV or CardDAV server names what it creates
    /// (<c>5EE3-6B09C480-65-74F6E500.vcf</c>, SOGo's <c>newguid</c>; QA round 15b): up to 36 of <c>[A-Za-z0-9-]</c> with a
    /// digit and a hyphen, then 2-5 letters. Tokens and secrets carry no extension.
    /// </summary>
    private static bool IsResourceName(ReadOnlySpan<char> stem, ReadOnlySpan<char> extension)
    {
        if (stem.Length > 36 || extension.Length is < 2 or > 5 || stem.IndexOf('-') < 0 || stem.IndexOfAnyInRange('0', '9') < 0)
        {
            return false;
        }

        foreach (var c in extension)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        foreach (var c in stem)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The tag text for the changed, id-shaped pairs (at most <see cref="MaxPairs"/>); empty when there are none.</summary>
    public static string Format(IEnumerable<(string Recorded, string Replayed)> pairs)
    {
        var sb = new System.Text.StringBuilder();
        var count = 0;
        foreach (var (recorded, replayed) in pairs)
        {
            if (string.Equals(recorded, replayed, StringComparison.Ordinal) || !IsIdShaped(recorded) || !IsIdShaped(replayed))
            {
                continue;
            }

            sb.Append(sb.Length == 0 ? string.Empty : " ").Append(recorded).Append('=').Append(replayed);
            if (++count == MaxPairs)
            {
                break;
            }
        }

        return sb.ToString();
    }

    /// <summary>The pairs of a tag's text; pairs that are not <c>old=new</c> with id-shaped sides are skipped.</summary>
    public static List<(string Recorded, string Replayed)> Parse(string? text)
    {
        var pairs = new List<(string, string)>();
        foreach (var part in (text ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && part[..eq] is var recorded && part[(eq + 1)..] is var replayed && IsIdShaped(recorded) && IsIdShaped(replayed))
            {
                pairs.Add((recorded, replayed));
            }
        }

        return pairs;
    }

    /// <summary>
    /// True when replacing the pairs' recorded values in <paramref name="expected"/> (each a whole run of
    /// <c>[A-Za-z0-9_-]</c>, all at once, as replay substitutes them) gives exactly <paramref name="actual"/>: the
    /// difference is replay's correlation and nothing else.
    /// </summary>
    public static bool Explains(IReadOnlyList<(string Recorded, string Replayed)> pairs, string expected, string actual) =>
        pairs.Count > 0
        && !string.Equals(expected, actual, StringComparison.Ordinal)
        && new CorrelatedIdRewriter(pairs).Rewrite(expected) is { } rewritten
        && string.Equals(rewritten, actual, StringComparison.Ordinal);
}
