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

    private static readonly string[] QuoteEntities = ["&quot;", "&#34;", "&#x22;"];

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
                name = After(text, start, start + length);
            }

            if (name.Length == 0)
            {
                name = LinkText(text, start, start + length);
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
        else if (address >= 6 && text.AsSpan(address - 6, 6).Equals("\\u003c", StringComparison.OrdinalIgnoreCase))
        {
            // '<' escaped in JSON or a script string (Next.js and Go templates escape it in the JSON a page embeds).
            open = address - 6;
        }
        else
        {
            return default;
        }

        var end = BlanksBefore(text, open);
        if (end > 0 && end < open && text[end - 1] == '\n')
        {
            // A folded header (RFC 5322 §2.2.3): the line break before the blank in front of '<' is no end of the name.
            end = BlanksBefore(text, end - 1 - (end >= 2 && text[end - 2] == '\r' ? 1 : 0));
        }

        if (end > 0 && text[end - 1] == '"')
        {
            return Quoted(text, end - 1);
        }

        if (end > 0 && text[end - 1] == ';')
        {
            // A quoted name in markup: &quot;Doe, Jane&quot; &lt;…&gt; (an HTML encoder writes '"' as an entity too).
            foreach (var entity in QuoteEntities)
            {
                if (end >= entity.Length && text.AsSpan(end - entity.Length, entity.Length).Equals(entity, StringComparison.OrdinalIgnoreCase))
                {
                    var from = end - entity.Length;
                    var opening = from == 0 ? -1 : text.LastIndexOf(entity, from - 1, Math.Min(from, 100), StringComparison.OrdinalIgnoreCase);
                    if (opening < 0 || text.AsSpan(opening, from - opening).IndexOfAny('\n', '\r') >= 0)
                    {
                        return default;
                    }

                    var inner = Trimmed(text, opening + entity.Length, from);
                    return IsName(text.AsSpan(inner.Start, inner.Length)) ? inner : default;
                }
            }
        }

        return Phrase(text, end, address);
    }

    private static int BlanksBefore(string text, int end)
    {
        while (end > 0 && text[end - 1] is ' ' or '\t')
        {
            end--;
        }

        return end;
    }

    /// <summary>
    /// The comment after an address when it reads as a name (<c>jane@corp.com (Jane Doe)</c>): log lines and contact lists
    /// put other things there (<c>(attempt 3)</c>, <c>(preferred)</c>, <c>(Work)</c>).
    /// </summary>
    private static (int Start, int Length) After(string text, int address, int end)
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
        return IsName(text.AsSpan(inner.Start, inner.Length)) && ReadsAsName(text.AsSpan(inner.Start, inner.Length), LocalPart(text, address)) ? inner : default;
    }

    /// <summary>
    /// The text of a <c>mailto:</c> link to the address when it reads as a name: <c>&lt;a href="mailto:jane@corp.com"&gt;Jane
    /// Doe&lt;/a&gt;</c> in HTML, <c>[Jane Doe](mailto:jane@corp.com)</c> in Markdown.
    /// </summary>
    private static (int Start, int Length) LinkText(string text, int address, int end)
    {
        const int Reach = 300;
        if (address >= 9 && text.AsSpan(address - 9, 9).Equals("](mailto:", StringComparison.OrdinalIgnoreCase))
        {
            var close = address - 9;
            var open = close == 0 ? -1 : text.LastIndexOf('[', close - 1, Math.Min(close, Reach));
            if (open < 0 || text.AsSpan(open + 1, close - open - 1).IndexOfAny("[]\n") >= 0)
            {
                return default;
            }

            return Judged(text, Trimmed(text, open + 1, close), address);
        }

        if (address < 7 || !text.AsSpan(address - 7, 7).Equals("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return default;
        }

        // The end of the <a …> tag the href is in, then its text up to "</a".
        var tagEnd = text.IndexOf('>', end, Math.Min(text.Length - end, Reach));
        if (tagEnd < 0 || text.AsSpan(end, tagEnd - end).Contains('<'))
        {
            return default;
        }

        var textEnd = text.IndexOf('<', tagEnd + 1, Math.Min(text.Length - tagEnd - 1, Reach));
        if (textEnd < 0 || !text.AsSpan(textEnd).StartsWith("</a", StringComparison.OrdinalIgnoreCase))
        {
            return default;
        }

        var linkText = Trimmed(text, tagEnd + 1, textEnd);
        return text.AsSpan(linkText.Start, linkText.Length).SequenceEqual(text.AsSpan(address, end - address))
            ? BeforeAutolink(text, address - 7, address)
            : Judged(text, linkText, address);
    }

    /// <summary>
    /// The display name in front of an autolink, <c>Jane Doe &lt;a href="mailto:jane@corp.com"&gt;jane@corp.com&lt;/a&gt;</c>:
    /// how Markdown renders <c>Jane Doe &lt;jane@corp.com&gt;</c> (CommonMark autolinks, Parsedown, Python-Markdown), so
    /// the <c>&lt;a</c> tag stands where the mailbox's <c>&lt;</c> stood. Icinga Web 2 renders an announcement's text so
    /// and served its author's contact in every page's header (QA round 15a). The words are judged as in front of a
    /// <c>&lt;</c>: capitalized ones, or lower-case ones that are the whole item and meet the address's local part.
    /// </summary>
    private static (int Start, int Length) BeforeAutolink(string text, int href, int address)
    {
        const int Reach = 300;
        var tag = href == 0 ? -1 : text.LastIndexOf('<', href - 1, Math.Min(href, Reach));
        if (tag < 0 || tag + 2 >= text.Length || text[tag + 1] is not ('a' or 'A') || !char.IsWhiteSpace(text[tag + 2])
            || text.AsSpan(tag, href - tag).Contains('>'))
        {
            return default;
        }

        var end = BlanksBefore(text, tag);
        return end < tag ? Phrase(text, end, address) : default;
    }

    private static (int Start, int Length) Judged(string text, (int Start, int Length) span, int address)
    {
        var value = text.AsSpan(span.Start, span.Length);
        return IsName(value) && ReadsAsName(value, LocalPart(text, address)) ? span : default;
    }

    private static ReadOnlySpan<char> LocalPart(string text, int address) => text.AsSpan(address, text.IndexOf('@', address) - address);

    /// <summary>
    /// Whether text beside an address (a comment, a link's text) is a full name: two to four words, capitalized (or in a
    /// script without case, or RFC 2047 encoded-words) with particles between them, no digits; or lower-case words, one
    /// of them in the address's local part (<c>jane doe</c> for <c>jane.doe@</c>).
    /// </summary>
    private static bool ReadsAsName(ReadOnlySpan<char> value, ReadOnlySpan<char> local)
    {
        var names = 0;
        var words = 0;
        var inLocal = false;
        var lower = true;
        foreach (var range in value.SplitAny(" ,\t\r\n"))
        {
            var word = value[range];
            if (word.IsEmpty)
            {
                continue;
            }

            words++;
            if (IsEncodedWord(word) || IsNameInitial(word[0]))
            {
                names++;
                lower = false;
            }
            else if (IsParticle(word))
            {
                continue;
            }
            else if (!char.IsLower(word[0]) || word.ContainsAnyInRange('0', '9'))
            {
                return false;
            }

            inLocal |= word.Length >= 2 && local.Contains(word, StringComparison.OrdinalIgnoreCase);
        }

        if (words is < 2 or > MaxWords + 2)
        {
            return false;
        }

        return lower ? inLocal : names >= 2 && names == words - ParticlesIn(value);
    }

    private static int ParticlesIn(ReadOnlySpan<char> value)
    {
        var count = 0;
        foreach (var range in value.SplitAny(" ,\t\r\n"))
        {
            count += IsParticle(value[range]) ? 1 : 0;
        }

        return count;
    }

    /// <summary>The first letter of a name word: a capital, or a letter of a script without case (山田, 김민준).</summary>
    private static bool IsNameInitial(char c) => char.IsUpper(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.OtherLetter;

    /// <summary>An RFC 2047 encoded-word, <c>=?charset?Q?text?=</c> or <c>=?charset?B?text?=</c>: how mail writes a name outside ASCII.</summary>
    private static bool IsEncodedWord(ReadOnlySpan<char> word)
    {
        if (word.Length < 8 || !word.StartsWith("=?") || !word.EndsWith("?=") || word.ContainsAny(" \t\r\n"))
        {
            return false;
        }

        var inner = word[2..^2];
        var charsetEnd = inner.IndexOf('?');
        if (charsetEnd < 1 || inner.Length < charsetEnd + 3 || inner[charsetEnd + 1] is not ('Q' or 'q' or 'B' or 'b') || inner[charsetEnd + 2] != '?')
        {
            return false;
        }

        return !inner[(charsetEnd + 3)..].Contains('?');
    }

    /// <summary>Where an encoded-word that ends at <paramref name="end"/> starts, or -1.</summary>
    private static int EncodedWordStart(string text, int end)
    {
        if (end < 8 || text[end - 1] != '=' || text[end - 2] != '?')
        {
            return -1;
        }

        for (var start = end - 8; start >= Math.Max(0, end - 256); start--)
        {
            if (text[start] == '=' && text[start + 1] == '?' && IsEncodedWord(text.AsSpan(start, end - start)))
            {
                return start;
            }

            if (char.IsWhiteSpace(text[start]))
            {
                break;
            }
        }

        return -1;
    }

    /// <summary>The text of a quoted display name whose closing quote is at <paramref name="close"/>.</summary>
    private static (int Start, int Length) Quoted(string text, int close)
    {
        // Inside a JSON or script string the quotes of the name are escaped (\"Doe, Jane\"): the opening one is too.
        var escaped = close > 0 && text[close - 1] == '\\';
        if (escaped)
        {
            close--;
        }

        for (var i = close - 1; i >= 0; i--)
        {
            if (text[i] == '"' && (escaped ? i > 0 && text[i - 1] == '\\' : i == 0 || text[i - 1] != '\\'))
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
        Span<bool> encoded = stackalloc bool[MaxWords + 1];
        var count = 0;
        var i = end;
        while (count < words.Length)
        {
            var wordEnd = i;
            var encodedStart = EncodedWordStart(text, i);
            if (encodedStart >= 0)
            {
                // An RFC 2047 encoded-word (=?UTF-8?Q?Jos=C3=A9?=): a name word written in ASCII.
                i = encodedStart;
            }
            else
            {
                while (i > 0 && IsWordChar(text[i - 1]))
                {
                    i--;
                }

                if (i == wordEnd || !char.IsLetter(text[i]))
                {
                    break;
                }
            }

            encoded[count] = encodedStart >= 0;
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
            if (encoded[w] || IsNameInitial(word[0]))
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
        foreach (var range in value.Split(' '))
        {
            if (IsEncodedWord(value[range]))
            {
                letters++;
                continue;
            }

            foreach (var c in value[range])
            {
                if (char.IsLetter(c))
                {
                    letters++;
                }
                else if (c is not ('-' or '\'' or '.' or ',' or '’') && !char.IsAsciiDigit(c))
                {
                    return false;
                }
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
