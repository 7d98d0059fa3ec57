using System.Text;

namespace Reprise.Replay.Correlation;

/// <summary>
/// Replaces whole-token occurrences of a value in text: the characters either side must not be
/// letters, digits, '-' or '_' (so <c>42</c> is replaced in <c>"id":42,</c> but not inside <c>1429</c>).
/// </summary>
internal static class BoundedReplace
{
    public static string Replace(string text, string oldValue, string newValue, out int count)
    {
        count = 0;
        var index = text.IndexOf(oldValue, StringComparison.Ordinal);
        if (index < 0)
        {
            return text;
        }

        StringBuilder? builder = null;
        var last = 0;
        while (index >= 0)
        {
            var end = index + oldValue.Length;
            if ((index == 0 || !IsWordChar(text[index - 1])) && (end == text.Length || !IsWordChar(text[end])))
            {
                builder ??= new StringBuilder(text.Length + 16);
                builder.Append(text, last, index - last).Append(newValue);
                last = end;
                count++;
                index = text.IndexOf(oldValue, end, StringComparison.Ordinal);
            }
            else
            {
                index = text.IndexOf(oldValue, index + 1, StringComparison.Ordinal);
            }
        }

        if (builder is null)
        {
            return text;
        }

        builder.Append(text, last, text.Length - last);
        return builder.ToString();
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_';
}
