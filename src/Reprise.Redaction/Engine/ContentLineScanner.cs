using System.Text.RegularExpressions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Policy;

namespace Reprise.Redaction.Engine;

/// <summary>
/// vCard (RFC 6350) and iCalendar (RFC 5545) content lines, <c>NAME;PARAM=x:value</c>: CardDAV and CalDAV bodies, and
/// the same text inside a WebDAV multistatus (<c>address-data</c>, <c>calendar-data</c>). No value detector knows
/// <c>FN:Maria Gonzalez</c> or <c>ADR:;;742 Evergreen Terrace;Springfield;OR;97477;USA</c> is personal, so the property
/// names are read as the fields they are: <c>FN</c>, <c>N</c>, <c>NICKNAME</c> and a <c>CN=</c> parameter
/// (<c>ATTENDEE;CN=Jonas Schmidt:mailto:…</c>) as a full name (also grouped, <c>item1.ADR</c>, and folded over lines), <c>ADR</c>, <c>LABEL</c> and <c>LOCATION</c> as a postal
/// address, each structured component (<c>;</c>-separated) on its own, with the action the policy gives those fields
/// (a rule keeping <c>fullName</c> keeps them). Emails, phones and birth dates are left to their value detectors, and
/// a name found here reaches the free text (<c>SUMMARY:Review with Jonas Schmidt</c>) by the same-value pass.
/// </summary>
internal static partial class ContentLineScanner
{
    private static readonly System.Buffers.SearchValues<char> Punctuation = System.Buffers.SearchValues.Create(" -.,'\"\\");

    /// <summary>Whether <paramref name="text"/> holds a vCard or an iCalendar object.</summary>
    public static bool MayHold(string text) =>
        text.Contains("BEGIN:VCARD", StringComparison.OrdinalIgnoreCase) || text.Contains("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when the pair whose key is <paramref name="key"/> is a vCard's or an iCalendar object's <c>UID</c> property: the
    /// object's identifier (RFC 5545 3.8.4.7, RFC 6350 6.7.6), which CalDAV and CardDAV clients name in the resource's URL
    /// (<c>PUT …/{UID}.ics</c>), not a user id. Tokenized, the same-value pass rewrote that URL, and the later GET and DELETE
    /// of it, which carry the UID raw and no body, missed in the mock (QA round 15b, SOGo).
    /// </summary>
    public static bool IsObjectUid(string text, Group key) =>
        key.Length == 3 && key.ValueSpan.Equals("UID", StringComparison.OrdinalIgnoreCase)
        && (key.Index == 0 || text[key.Index - 1] == '\n') && MayHold(text);

    /// <summary>
    /// The fields in an object's content lines. Lines over 75 octets are folded (RFC 5545 3.1, RFC 6350 3.2: a line break
    /// then a space or tab continues the line), as CalDAV servers do to ATTENDEE lines: <paramref name="text"/> is the
    /// object unfolded (<see cref="Unfold"/>), and each match is mapped back through <paramref name="map"/> to the original
    /// text (a match across a fold takes the fold with it).
    /// </summary>
    public static void Find(string text, int[]? map, RedactionModel model, List<TextMatch> matches)
    {
        var found = matches.Count;
        FieldDetectorEntry? name = null, address = null;
        foreach (Match line in Line().Matches(text))
        {
            var property = line.Groups["name"].ValueSpan;
            var value = line.Groups["value"];
            if (property.Equals("FN", StringComparison.OrdinalIgnoreCase) || property.Equals("N", StringComparison.OrdinalIgnoreCase) || property.Equals("NICKNAME", StringComparison.OrdinalIgnoreCase))
            {
                Components(text, value, name ??= Entry(model, "fullname", DataKind.PersonName), matches);
            }
            else if (property.Equals("ADR", StringComparison.OrdinalIgnoreCase) || property.Equals("LABEL", StringComparison.OrdinalIgnoreCase) || property.Equals("LOCATION", StringComparison.OrdinalIgnoreCase))
            {
                Components(text, value, address ??= Entry(model, "address", DataKind.PostalAddress), matches);
            }

            foreach (Match cn in CommonName().Matches(line.Groups["params"].Value))
            {
                var group = cn.Groups["cn"];
                Add(line.Groups["params"].Index + group.Index, group.Length, text, name ??= Entry(model, "fullname", DataKind.PersonName), matches);
            }
        }

        if (map is null)
        {
            return;
        }

        for (var i = found; i < matches.Count; i++)
        {
            var match = matches[i];
            var start = map[match.Start];
            matches[i] = match with { Start = start, Length = map[match.Start + match.Length - 1] + 1 - start };
        }
    }

    /// <summary>The text with its folds removed and, when there were any, each character's index in the original.</summary>
    internal static (string Text, int[]? Map) Unfold(string original)
    {
        if (!original.Contains("\n ", StringComparison.Ordinal) && !original.Contains("\n\t", StringComparison.Ordinal))
        {
            return (original, null);
        }

        var text = new System.Text.StringBuilder(original.Length);
        var map = new List<int>(original.Length);
        for (var i = 0; i < original.Length; i++)
        {
            var fold = original[i] == '\r' && i + 2 < original.Length && original[i + 1] == '\n' && original[i + 2] is ' ' or '\t' ? 3
                : original[i] == '\n' && i + 1 < original.Length && original[i + 1] is ' ' or '\t' ? 2
                : 0;
            if (fold > 0)
            {
                i += fold - 1;
                continue;
            }

            text.Append(original[i]);
            map.Add(i);
        }

        return (text.ToString(), [.. map]);
    }

    /// <summary>The policy's entry for <paramref name="field"/> of <paramref name="kind"/> (null: the policy redacts no such field).</summary>
    private static FieldDetectorEntry? Entry(RedactionModel model, string field, DataKind kind)
    {
        foreach (var entry in model.FieldCandidates(field, string.Empty))
        {
            if (entry.Detector.Kind == kind)
            {
                return entry;
            }
        }

        return null;
    }

    private static void Components(string text, Group value, FieldDetectorEntry? entry, List<TextMatch> matches)
    {
        var start = value.Index;
        var end = value.Index + value.Length;
        for (var i = start; i <= end; i++)
        {
            // ';' separates structured components and ',' list items; a backslash escapes either.
            if (i == end || ((text[i] == ';' || text[i] == ',') && (i == start || text[i - 1] != '\\')))
            {
                Add(start, i - start, text, entry, matches);
                start = i + 1;
            }
        }
    }

    private static void Add(int start, int length, string text, FieldDetectorEntry? entry, List<TextMatch> matches)
    {
        // Trim, and skip empty or punctuation-only components (ADR's empty post-office box and extended address).
        while (length > 0 && char.IsWhiteSpace(text[start]))
        {
            start++;
            length--;
        }

        while (length > 0 && char.IsWhiteSpace(text[start + length - 1]))
        {
            length--;
        }

        if (entry is not { } found || length == 0 || !text.AsSpan(start, length).ContainsAnyExcept(Punctuation))
        {
            return;
        }

        var action = found.Action;
        if (action.Action == Actions.RedactionAction.Keep || Actions.TokenFormat.IsRedactedOutput(text.AsSpan(start, length)))
        {
            return;
        }

        matches.Add(new TextMatch(start, length, found.Detector.Name, found.Detector.Kind, action));
    }

    [GeneratedRegex(@"(?<=^|\n)(?:[A-Za-z0-9-]{1,40}\.)?(?<name>[A-Za-z][A-Za-z0-9-]{0,40})(?<params>(?:;[^:\r\n]{0,512})?):(?<value>[^\r\n]{0,2048})", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex Line();

    [GeneratedRegex(@"(?:^|;)CN=(?:""(?<cn>[^""\r\n]{1,256})""|(?<cn>[^;:""\r\n]{1,256}))", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase, 1000)]
    private static partial Regex CommonName();
}
