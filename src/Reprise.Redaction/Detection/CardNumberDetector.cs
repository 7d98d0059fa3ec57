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
        return lengthOk && first is >= '2' and <= '6' && !allSame && Luhn.IsValid(value);
    }

    [GeneratedRegex(@"(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w]|[.-]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
