using Reprise.Redaction.Actions;

namespace Reprise.Redaction.Detection;

/// <summary>
/// The display name of a mailbox (RFC 5322 <c>name-addr</c>): <c>Jane Doe &lt;jane@corp.com&gt;</c>,
/// <c>"Doe, Jane" &lt;jane@corp.com&gt;</c> and the older <c>jane@corp.com (Jane Doe)</c>, as mail headers, commit
/// trailers (<c>Signed-off-by:</c>), package authors and address lists write them. The address is the email detector's;
/// the name beside it is a person's name in any field, so it is found by its place next to an address the email detector
/// redacts (a reserved <c>.test</c>/<c>.invalid</c> address, where tokens point, keeps its name: redaction stays idempotent).
/// Unquoted names are the capitalized words (up to four, with particles such as <c>van</c> or <c>de</c> inside) right
/// before the <c>&lt;</c>, or all the words back to the start of the value or a list separator when they are lower case
/// (two or more, one of them in the address: <c>jane doe &lt;jane.doe@corp.com&gt;</c>): prose in front of a name
/// (<c>please contact Jane Doe &lt;…&gt;</c>) stays.
/// </summary>
public sealed class MailboxNameDetector : IValueDetector
{
    private const int MaxWords = 4;

    private static readonly string[] Particles = ["van", "von", "de", "der", "den", "del", "della", "da", "di", "du", "la", "le", "bin", "ibn", "al", "el", "dos", "das", "ter", "ten", "y", "zu"];

    [ThreadStatic]
    private static List<(int Start, int Length)>? t_addresses;

    public string Name => "mailbox-name";

    public DataKind Kind => DataKind.PersonName;

    public bool MayMatch(in TextStats stats) => stats.At > 0 && stats.Dots > 0 && stats.Length >= 8;

    public void Find(string text, List<(int Start, int Length)> matches)
    {
        if (text.AsSpan().IndexOfAny('<', '(', '&') < 0)
        {
            return;
        }

        var addresses = t_addresses ??= [];
        addresses.Clear();
        EmailDetector.Addresses(text, addresses);
        foreach (var (start, length) in addresses)
        {
            var name = Before(text, start);
            if (name.Length == 0)
            {
                name = After(text, start + length);
            }

            if (name.Length > 0)
            {
                matches.Add(name);
            }
        }
    }

    /// <summary>The display name in front of <c>&lt;address</c> (or <c>&amp;lt;address</c> in markup text).</summary>
    private static (int Start, int Length) Before(string text, int address)
    {
        int open;
        if (address >= 1 && text[address - 1] == '<')
        {
            open = address - 1;
        }
        else if (address >= 4 && text.AsSpan(address - 4, 4).SequenceEqual("&lt;"))
        {
            open = address - 4;
        }
        else
        {
            return default;
        }

        var end = open;
        while (end > 0 && text[end - 1] is ' ' or '\t')
        {
            end--;
        }

        if (end > 0 && text[end - 1] == '"')
        {
            return Quoted(text, end - 1);
        }

        return Phrase(text, end, address);
    }

    /// <summary>The comment after an address: <c>jane@corp.com (Jane Doe)</c>.</summary>
    private static (int Start, int Length) After(string text, int end)
    {
        var i = end;
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        if (i == end || i >= text.Length || text[i] != '(')
        {
            return default;
        }

        var close = text.IndexOf(')', i + 1);
        if (close < 0)
        {
            return default;
        }

        var inner = Trimmed(text, i + 1, close);
        return IsName(text.AsSpan(inner.Start, inner.Length)) ? inner : default;
    }

    /// <summary>The text of a quoted display name whose closing quote is at <paramref name="close"/>.</summary>
    private static (int Start, int Length) Quoted(string text, int close)
    {
        for (var i = close - 1; i >= 0; i--)
        {
            if (text[i] == '"' && (i == 0 || text[i - 1] != '\\'))
            {
                var inner = Trimmed(text, i + 1, close);
                return IsName(text.AsSpan(inner.Start, inner.Length)) ? inner : default;
            }

            if (text[i] is '\n' or '\r' || close - i > 100)
            {
                break;
            }
        }

        return default;
    }

    /// <summary>The unquoted words that end at <paramref name="end"/>.</summary>
    private static (int Start, int Length) Phrase(string text, int end, int address)
    {
        // The words in front of the '<', nearest first, one more than a name may have (to know whether there are more).
        Span<(int Start, int End)> words = stackalloc (int, int)[MaxWords + 1];
        var count = 0;
        var i = end;
        while (count < words.Length)
        {
            var wordEnd = i;
            while (i > 0 && IsWordChar(text[i - 1]))
            {
                i--;
            }

            if (i == wordEnd || !char.IsLetter(text[i]))
            {
                break;
            }

            words[count++] = (i, wordEnd);
            var before = i;
            while (i > 0 && text[i - 1] is ' ' or '\t')
            {
                i--;
            }

            if (i == before || i == 0)
            {
                break;
            }
        }

        // Capitalized words (with particles between them), nearest first: "Ludwig van Beethoven", not "email Jane Doe".
        var start = -1;
        for (var w = 0; w < Math.Min(count, MaxWords); w++)
        {
            var word = text.AsSpan(words[w].Start, words[w].End - words[w].Start);
            if (char.IsUpper(word[0]))
            {
                start = words[w].Start;
            }
            else if (!IsParticle(word))
            {
                break;
            }
        }

        if (start >= 0)
        {
            return Trimmed(text, start, end);
        }

        // Lower-case words count only as the whole value or list item, two or more, one of them in the address's local
        // part: "jane doe <jane.doe@corp.com>", never "contact <…>" or "please write to <…>".
        if (count is >= 2 and <= MaxWords && IsItemStart(text, words[count - 1].Start))
        {
            var local = text.AsSpan(address, text.IndexOf('@', address) - address);
            foreach (var (wordStart, wordEnd) in words[..count])
            {
                if (wordEnd - wordStart >= 2 && local.Contains(text.AsSpan(wordStart, wordEnd - wordStart), StringComparison.OrdinalIgnoreCase))
                {
                    return Trimmed(text, words[count - 1].Start, end);
                }
            }
        }

        return default;
    }

    private static bool IsItemStart(string text, int start)
    {
        var i = start;
        while (i > 0 && text[i - 1] is ' ' or '\t')
        {
            i--;
        }

        return i == 0 || text[i - 1] is ',' or ';' or ':' or '\n' or '\r' or '>' or '"' or '(' or '[' or '\'';
    }

    private static (int Start, int Length) Trimmed(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return (start, end - start);
    }

    private static bool IsName(ReadOnlySpan<char> value)
    {
        if (value.Length is 0 or > 100 || value.Contains('@') || TokenFormat.IsRedactedOutput(value))
        {
            return false;
        }

        var letters = 0;
        foreach (var c in value)
        {
            if (char.IsLetter(c))
            {
                letters++;
            }
            else if (c is not (' ' or '-' or '\'' or '.' or ',' or '’') && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return letters > 0;
    }

    private static bool IsWordChar(char c) => char.IsLetter(c) || c is '.' or '-' or '\'' or '’' || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark;

    private static bool IsParticle(ReadOnlySpan<char> word)
    {
        foreach (var particle in Particles)
        {
            if (word.Equals(particle, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
