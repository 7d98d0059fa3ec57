using System.Text.RegularExpressions;

namespace Reprise.Redaction.Detection;

/// <summary>
/// Phone numbers written as phone numbers: international (<c>+44 20 7946 0958</c>, <c>+14155552671</c>)
/// or separated national forms (<c>(415) 555-2671</c>, <c>415-555-2671</c>, <c>020 7946 0958</c>).
/// Bare digit runs are left to field names (<c>phone</c>, <c>mobile</c>), because ids, amounts and
/// timestamps look the same. The fictional range 555-0100..0199 is masked too (test data uses it; a value faked
/// there is left alone by its recorded location).
/// </summary>
public sealed partial class PhoneDetector : IValueDetector
{
    public string Name => "phone";

    public DataKind Kind => DataKind.Phone;

    public bool MayMatch(in TextStats stats) => stats.MaxDigitGroup >= 10 || stats.PlusGroup;

    /// <summary>Set when the policy fakes this kind: the values fakes use are then skipped (see <see cref="FakeShapes"/>).</summary>
    public bool SkipFakeShapes { get; init; }


    public void Find(string text, List<(int Start, int Length)> matches)
    {
        foreach (var match in Pattern().EnumerateMatches(text))
        {
            var value = text.AsSpan(match.Index, match.Length);
            var digits = 0;
            foreach (var c in value)
            {
                digits += char.IsAsciiDigit(c) ? 1 : 0;
            }

            var international = value[0] == '+';
            if (digits < (international ? 8 : 10) || digits > 15 || LooksLikeDate(value) || (SkipFakeShapes && FakeShapes.IsFictionalPhone(value)))
            {
                continue;
            }

            matches.Add((match.Index, match.Length));
        }
    }

    private static bool LooksLikeDate(ReadOnlySpan<char> value) =>
        value.Length >= 10 && char.IsAsciiDigit(value[0]) && value[4] == '-' && value[7] == '-';

    // Not after ')' or ']' and not before '*': "+16777216*this[e+3]" in a minified script is arithmetic (a value
    // read after a closing parenthesis and multiplied), not +1 677 7216; masked, the served script no longer parsed
    // (QA round 13c, Netdata's dashboard: "Unexpected token '**'").
    [GeneratedRegex(@"(?<![\w+.\-)\]])(?:\+[1-9]\d{0,2}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4}|0\d{2,4}[ ]\d{3,4}[ ]\d{3,4})(?![\w*-]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
