namespace Reprise.Redaction.Engine;

/// <summary>
/// The runs of ASCII letters and digits in a value: every encoded form the same-value pass searches (raw, JSON-,
/// percent-, form-, XML-encoded) writes them unchanged, so they anchor the search for the value.
/// </summary>
internal static class AsciiRuns
{
    /// <summary>The next run at or after <paramref name="i"/> (advanced past it); false when there is none.</summary>
    public static bool Next(string value, ref int i, out int start, out int length)
    {
        while (i < value.Length && !char.IsAsciiLetterOrDigit(value[i]))
        {
            i++;
        }

        start = i;
        while (i < value.Length && char.IsAsciiLetterOrDigit(value[i]))
        {
            i++;
        }

        length = i - start;
        return length > 0;
    }
}
