using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Reprise.Redaction.Detection;

/// <summary>IBANs (ISO 13616): a known country code, that country's length and a valid mod-97 checksum; spaces allowed in groups of four.</summary>
public sealed partial class IbanDetector : IValueDetector
{
    private static readonly FrozenDictionary<string, int> Lengths = new Dictionary<string, int>
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22, ["BR"] = 29,
        ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24,
        ["FI"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21,
        ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26, ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28,
        ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MR"] = 27,
        ["MT"] = 31, ["MU"] = 30, ["NL"] = 18, ["NO"] = 15, ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24,
        ["RS"] = 22, ["SA"] = 24, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VG"] = 24,
        ["XK"] = 20,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public string Name => "iban";

    public DataKind Kind => DataKind.Iban;

    public bool MayMatch(in TextStats stats) => stats.Length >= 15 && stats.Digits >= 4 && stats.Letters >= 2 && (stats.MaxRun >= 15 || stats.Separators >= 3);

    /// <summary>Set when the policy fakes this kind: the values fakes use are then skipped (see <see cref="FakeShapes"/>).</summary>
    public bool SkipFakeShapes { get; init; }


    public void Find(string text, List<(int Start, int Length)> matches)
    {
        foreach (var match in Pattern().EnumerateMatches(text))
        {
            // The pattern is greedy across spaces ("DE89 3704 ... 00 accepted"): cut at the country's length.
            var candidate = text.AsSpan(match.Index, match.Length);
            var length = Lengths.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(candidate[..2].ToString().ToUpperInvariant(), out var l) ? l : 0;
            var end = 0;
            for (var count = 0; end < candidate.Length && count < length; end++)
            {
                count += candidate[end] == ' ' ? 0 : 1;
            }

            if (length > 0 && (end == candidate.Length || candidate[end] == ' ') && IsIban(candidate[..end]) && !(SkipFakeShapes && FakeShapes.IsExampleIban(candidate[..end])))
            {
                matches.Add((match.Index, end));
            }
        }
    }

    /// <summary>True when the value (spaces ignored) is a well-formed IBAN with a valid checksum.</summary>
    public static bool IsIban(ReadOnlySpan<char> value)
    {
        Span<char> compact = stackalloc char[40];
        var n = 0;
        foreach (var c in value)
        {
            if (c == ' ')
            {
                continue;
            }

            if (n == compact.Length)
            {
                return false;
            }

            compact[n++] = char.ToUpperInvariant(c);
        }

        var iban = compact[..n];
        if (n < 15 || !Lengths.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(iban[..2], out var length) || length != n)
        {
            return false;
        }

        // Move the first four characters to the end, letters to 10..35, then mod 97 must be 1.
        var remainder = 0;
        for (var i = 0; i < n; i++)
        {
            var c = iban[(i + 4) % n];
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
