using System.Text.RegularExpressions;

namespace Reprise.Redaction.Detection;

/// <summary>
/// Payment card numbers: 13 to 19 digits (optionally grouped by spaces or dashes), a major-network
/// prefix (2-6: Mastercard, Amex/Diners/JCB, Visa, Mastercard, Discover/UnionPay) and a valid Luhn check.
/// </summary>
public sealed partial class CardNumberDetector : IValueDetector
{
    public string Name => "card-number";

    public DataKind Kind => DataKind.CardNumber;

    public bool MayMatch(in TextStats stats) => stats.MaxDigitGroup >= 13;

    /// <summary>Set when the policy fakes this kind: the values fakes use are then skipped (see <see cref="FakeShapes"/>).</summary>
    public bool SkipFakeShapes { get; init; }


    public void Find(string text, List<(int Start, int Length)> matches)
    {
        foreach (var match in Pattern().EnumerateMatches(text))
        {
            var value = text.AsSpan(match.Index, match.Length);
            if (IsCard(value) && !(SkipFakeShapes && FakeShapes.IsTestCard(value)))
            {
                matches.Add((match.Index, match.Length));
            }
        }
    }

    /// <summary>True for a digit string (separators allowed) that passes the card checks.</summary>
    public static bool IsCard(ReadOnlySpan<char> value)
    {
        var digits = 0;
        var first = '\0';
        var allSame = true;
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            if (digits == 0)
            {
                first = c;
            }
            else if (c != first)
            {
                allSame = false;
            }

            digits++;
        }

        // Lengths per network (Visa 16/19, Mastercard 16, Amex 15, Diners 14, JCB/Discover/UnionPay 16-19):
        // 13-digit numbers (EAN barcodes, millisecond timestamps) are not cards.
        var lengthOk = first switch
        {
            '4' => digits is 16 or 19,
            '2' or '5' => digits == 16,
            '3' => digits is 14 or 15 or 16,
            _ => digits is >= 16 and <= 19,
        };
        return lengthOk && first is >= '2' and <= '6' && !allSame && PrintedGroups(value) && Luhn.IsValid(value);
    }

    /// <summary>
    /// True when the digits are written whole or in a card's printed groups: fours with a shorter last group
    /// (4-4-4-4, 4-4-4-4-3), or 4-6-5 (Amex) and 4-6-4 (Diners). Digits in pairs or singles are a list of numbers: calibre's
    /// inline SVG path <c>191-28 56-18 99-51 48-36</c> was masked as a card and the icon no longer drew (QA 14b).
    /// </summary>
    private static bool PrintedGroups(ReadOnlySpan<char> value)
    {
        Span<int> groups = stackalloc int[20];
        var count = 0;
        var length = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                length++;
            }
            else if (length > 0 && count < groups.Length)
            {
                groups[count++] = length;
                length = 0;
            }
        }

        if (count == 0)
        {
            return true; // written whole
        }

        if (count >= groups.Length)
        {
            return false;
        }

        groups[count++] = length;
        if (count == 3 && groups[0] == 4 && groups[1] == 6 && groups[2] is 4 or 5)
        {
            return true;
        }

        for (var i = 0; i < count - 1; i++)
        {
            if (groups[i] != 4)
            {
                return false;
            }
        }

        return groups[count - 1] is >= 1 and <= 4;
    }

    [GeneratedRegex(@"(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w]|[.-]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
