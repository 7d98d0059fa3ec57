using System.Buffers;

namespace Reprise.Redaction.Engine;

/// <summary>
/// The runs of ASCII letters and digits in a value: every encoded form the same-value pass searches (raw, JSON-,
/// percent-, form-, XML-encoded) writes them unchanged, so they anchor the search for the value.
/// </summary>
internal static class AsciiRuns
{
    private static readonly SearchValues<char> LettersAndDigits = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>The next run at or after <paramref name="i"/> (advanced past it); false when there is none.</summary>
    /// <remarks>Two vectorized searches per run (a token or key is usually one run), not a test per character.</remarks>
    public static bool Next(string value, ref int i, out int start, out int length)
    {
        var skip = value.AsSpan(i).IndexOfAny(LettersAndDigits);
        if (skip < 0)
        {
            i = start = value.Length;
            length = 0;
            return false;
        }

        start = i + skip;
        var end = value.AsSpan(start).IndexOfAnyExcept(LettersAndDigits);
        length = end < 0 ? value.Length - start : end;
        i = start + length;
        return true;
    }
}
