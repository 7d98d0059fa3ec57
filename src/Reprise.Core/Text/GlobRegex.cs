using System.Text;
using System.Text.RegularExpressions;

namespace Reprise.Core.Text;

/// <summary>
/// Writes a glob as a regular expression: <c>**</c> matches anything, <c>*</c> any run of characters of one segment,
/// <c>?</c> (where the glob kind has it) one such character, and every other character itself. The path, endpoint and
/// difference-location globs differ only in what a segment's characters are and whether <c>?</c> is a wildcard.
/// </summary>
public static class GlobRegex
{
    /// <summary>Appends the regular expression for <paramref name="glob"/> to <paramref name="regex"/>.</summary>
    /// <param name="regex">The expression being built (anchors are the caller's).</param>
    /// <param name="glob">The pattern as written.</param>
    /// <param name="segmentCharacter">A character class for one character inside a segment, e.g. <c>[^/]</c>.</param>
    /// <param name="questionMark">True when <c>?</c> stands for one segment character; false when it matches itself.</param>
    public static StringBuilder Append(StringBuilder regex, string glob, string segmentCharacter, bool questionMark)
    {
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else if (c == '*')
            {
                regex.Append(segmentCharacter).Append('*');
            }
            else if (c == '?' && questionMark)
            {
                regex.Append(segmentCharacter);
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex;
    }
}
