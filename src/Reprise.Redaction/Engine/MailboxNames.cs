using Reprise.Redaction.Detection;
using Reprise.Redaction.Policy;

namespace Reprise.Redaction.Engine;

/// <summary>
/// The display name of a mailbox (RFC 5322 §3.4 <c>name-addr</c>: <c>Maria Gonzalez &lt;maria@example.org&gt;</c>,
/// <c>"Gonzalez, Maria" &lt;…&gt;</c>) written in any text: the address was tokenized and the name beside it kept (a
/// Node-RED tab's <c>info</c>, a package's <c>author</c> string, a torrent's <c>created by</c>, a mail header). The name is
/// judged as a full name (<c>fullName</c>) and redacted with that detector's action.
/// </summary>
internal static class MailboxNames
{
    private const int MaxWords = 4;

    /// <summary>Adds a match for the display name before each email match that is written in angle brackets.</summary>
    public static void Find(string text, RedactionModel model, List<TextMatch> matches)
    {
        var count = matches.Count;
        for (var i = 0; i < count; i++)
        {
            var email = matches[i];
            if (email.Kind != DataKind.Email || email.Start < 3 || email.End >= text.Length || text[email.Start - 1] != '<' || text[email.End] != '>')
            {
                continue;
            }

            var end = email.Start - 1;
            while (end > 0 && text[end - 1] is ' ' or '\t')
            {
                end--;
            }

            var (start, length) = end > 0 && text[end - 1] == '"' ? Quoted(text, end - 1) : Words(text, end);
            if (length == 0)
            {
                continue;
            }

            var name = text.Substring(start, length);
            foreach (var entry in model.FieldCandidates("fullname", string.Empty))
            {
                if (entry.Detector.Kind == DataKind.PersonName && entry.Detector.Matches(new FieldContext("fullname", string.Empty), name))
                {
                    matches.Add(new TextMatch(start, length, entry.Detector.Name, DataKind.PersonName, entry.Action));
                    break;
                }
            }
        }
    }

    /// <summary>The text inside the quoted string that ends at <paramref name="close"/>.</summary>
    private static (int Start, int Length) Quoted(string text, int close)
    {
        var open = text.LastIndexOf('"', close - 1);
        return open < 0 || close - open - 1 is <= 0 or > 100 || text.AsSpan(open + 1, close - open - 1).ContainsAny('\n', '<') ? (0, 0) : (open + 1, close - open - 1);
    }

    /// <summary>The capitalised words (at most four) that end at <paramref name="end"/>: "Owner: Maria Gonzalez" gives "Maria Gonzalez".</summary>
    private static (int Start, int Length) Words(string text, int end)
    {
        var start = end;
        var words = 0;
        var at = end;
        while (words < MaxWords && at > 0)
        {
            var wordEnd = at;
            while (at > 0 && (char.IsLetter(text[at - 1]) || text[at - 1] is '\'' or '’' or '-' or '.'))
            {
                at--;
            }

            if (at == wordEnd || !char.IsUpper(text[at]))
            {
                break;
            }

            start = at;
            words++;
            if (at == 0 || text[at - 1] != ' ')
            {
                break;
            }

            at--;
        }

        return words == 0 ? (0, 0) : (start, end - start);
    }
}
