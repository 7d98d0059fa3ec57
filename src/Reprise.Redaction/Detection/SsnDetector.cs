using System.Text.RegularExpressions;

namespace Reprise.Redaction.Detection;

/// <summary>
/// US Social Security numbers written as <c>AAA-GG-SSSS</c> (or with spaces), excluding numbers the
/// SSA never issues (area 000, 666, 900-999; group 00; serial 0000). Unformatted nine-digit values
/// are caught by field name (<c>ssn</c>, <c>socialSecurityNumber</c>) instead.
/// </summary>
public sealed partial class SsnDetector : IValueDetector
{
    public string Name => "us-ssn";

    public DataKind Kind => DataKind.NationalId;

    public bool MayMatch(in TextStats stats) => stats.MaxDigitGroup >= 9 && stats.Separators >= 2;

    public void Find(string text, List<(int Start, int Length)> matches)
    {
        foreach (var match in Pattern().EnumerateMatches(text))
        {
            matches.Add((match.Index, match.Length));
        }
    }

    /// <summary>True when nine digits form an issuable SSN.</summary>
    public static bool IsIssuable(ReadOnlySpan<char> digits) =>
        digits.Length == 9 && !digits.StartsWith("000") && !digits.StartsWith("666") && digits[0] != '9'
        && !digits[3..5].SequenceEqual("00") && !digits[5..].SequenceEqual("0000");

    [GeneratedRegex(@"(?<![\w-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\w]|-\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
