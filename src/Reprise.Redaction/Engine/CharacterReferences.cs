using System.Globalization;
using System.Text;

namespace Reprise.Redaction.Engine;

/// <summary>
/// Addresses a page spells in numeric character references, written out before the page is scanned. Markdown renderers
/// hide an autolinked mailbox from harvesters so: Python-Markdown writes <c>&lt;jane@corp.com&gt;</c> as
/// <c>&lt;a href="&amp;#109;&amp;#97;…"&gt;&amp;#106;&amp;#97;…&lt;/a&gt;</c>, kramdown (Jekyll) mixes decimal and hex references
/// with plain letters. A browser shows the address, but no detector read it: the address and the name in front of it went
/// to disk raw. A run of references and address characters that decodes to text holding an '@' is replaced by that text
/// (only letters, digits and <c>._%+-@:</c>, so no markup can appear), which the detectors then see as any address.
/// </summary>
internal static class CharacterReferences
{
    private const int MaxRun = 1024;

    /// <summary><paramref name="text"/> with each such run decoded; the text itself when it holds none.</summary>
    public static string DecodeAddressRuns(string text)
    {
        var at = text.IndexOf("&#", StringComparison.Ordinal);
        if (at < 0)
        {
            return text;
        }

        StringBuilder? output = null;
        var copied = 0;
        var decoded = new StringBuilder();
        while (at >= 0 && at < text.Length)
        {
            // Back to the start of the run: address characters written plainly before the first reference.
            var start = at;
            while (start > copied && start > at - MaxRun && IsAddressChar(text[start - 1]))
            {
                start--;
            }

            decoded.Clear();
            decoded.Append(text, start, at - start);
            var i = at;
            var references = 0;
            while (i < text.Length && decoded.Length < MaxRun)
            {
                if (TryReference(text, i, out var c, out var length))
                {
                    if (!IsAddressChar(c))
                    {
                        break;
                    }

                    decoded.Append(c);
                    references++;
                    i += length;
                }
                else if (IsAddressChar(text[i]))
                {
                    decoded.Append(text[i]);
                    i++;
                }
                else
                {
                    break;
                }
            }

            if (references > 0 && decoded.ToString() is var plain && plain.IndexOf('@') is > 0 and var atSign && atSign < plain.Length - 1)
            {
                output ??= new StringBuilder(text.Length);
                output.Append(text, copied, start - copied).Append(plain);
                copied = i;
            }

            at = i < text.Length ? text.IndexOf("&#", Math.Max(i, at + 2), StringComparison.Ordinal) : -1;
        }

        return output is null ? text : output.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool IsAddressChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-' or '@' or ':';

    /// <summary>A numeric character reference (<c>&amp;#64;</c>, <c>&amp;#x40;</c>) of an ASCII character at <paramref name="at"/>.</summary>
    private static bool TryReference(string text, int at, out char c, out int length)
    {
        c = default;
        length = 0;
        if (at + 3 >= text.Length || text[at] != '&' || text[at + 1] != '#')
        {
            return false;
        }

        var hex = text[at + 2] is 'x' or 'X';
        var digits = at + (hex ? 3 : 2);
        var end = text.IndexOf(';', digits, Math.Min(8, text.Length - digits));
        if (end <= digits
            || !int.TryParse(text.AsSpan(digits, end - digits), hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            || code is <= 0x20 or >= 0x7F)
        {
            return false;
        }

        c = (char)code;
        length = end + 1 - at;
        return true;
    }
}
