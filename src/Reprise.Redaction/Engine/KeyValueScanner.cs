using System.Text.RegularExpressions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Policy;

namespace Reprise.Redaction.Engine;

/// <summary>
/// Finds <c>key=value</c>, <c>key: value</c>, <c>"key": "value"</c> and <c>&lt;key&gt;value&lt;/key&gt;</c>
/// inside free text (logs, error messages, truncated or invalid JSON/XML) and asks the field detectors
/// about each key, so <c>password=hunter2</c> in a text body is caught like a JSON field would be.
/// A quoted value is captured whole (to its closing quote, or the end of the line when truncated), so
/// <c>"password": "correct horse battery"</c> is masked entirely.
/// </summary>
internal static partial class KeyValueScanner
{
    // An unquoted value ends before "(name:" (a GraphQL alias, "c: login(password: …)", took the argument list as its
    // value, so the password's key was never seen) and loses an unbalanced closing parenthesis ("customerId: 42)").

    public static void Find(string text, in TextStats stats, RedactionModel model, List<TextMatch> matches)
    {
        if (stats.Colons > 0 && ContentLineScanner.MayHold(text))
        {
            ContentLineScanner.Find(text, model, matches);
        }

        if (stats.EqualSigns > 0 || stats.Colons > 0)
        {
            foreach (Match match in Pair().Matches(text))
            {
                Consider(match, model, matches, allowSpaces: false);
            }
        }

        if (stats.Angles > 0)
        {
            foreach (Match match in Element().Matches(text))
            {
                Consider(match, model, matches, allowSpaces: true);
            }
        }
    }

    private static void Consider(Match match, RedactionModel model, List<TextMatch> matches, bool allowSpaces)
    {
        var value = match.Groups["value"];
        var valueText = value.Value;
        var length = value.Length;

        // A quoted value is captured whole (spaces included), so names and addresses are as safe to judge
        // as in a JSON field: malformed JSON falls back to this scanner and must not leak them.
        var quoted = value.Index > 0 && match.ValueSpan[value.Index - match.Index - 1] is '"' or '\'';
        allowSpaces |= quoted;
        if (!quoted)
        {
            // A GraphQL variable or a template placeholder (customer_id: $cid, user=${USER}) names a value sent
            // elsewhere; rewritten, the query no longer parses ("Variable $cid is never used").
            if (valueText.Length > 1 && valueText[0] == '$' && (char.IsAsciiLetter(valueText[1]) || valueText[1] is '_' or '{'))
            {
                return;
            }

            // The closing parenthesis of an argument list (customer(customerId: 42)) is no part of the value.
            while (length > 1 && valueText[length - 1] == ')' && valueText.AsSpan(0, length).Count(')') > valueText.AsSpan(0, length).Count('('))
            {
                length--;
            }

            valueText = valueText[..length];
        }

        var field = FieldNames.Normalize(match.Groups["key"].ValueSpan);
        foreach (var entry in model.FieldCandidates(field, string.Empty))
        {
            var kind = entry.Detector.Kind;
            if (!allowSpaces && kind is DataKind.PersonName or DataKind.PostalAddress)
            {
                continue;
            }

            if (entry.Detector.Matches(new FieldContext(field, string.Empty), valueText))
            {
                matches.Add(new TextMatch(value.Index, length, entry.Detector.Name, kind, entry.Action));
                return;
            }
        }
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_.-])(?<key>[A-Za-z_][A-Za-z0-9_.-]{0,48})[""']?\s{0,3}[:=]\s{0,3}(?:""(?<value>(?:[^""\\\r\n]|\\.){1,512})""?|'(?<value>(?:[^'\\\r\n]|\\.){1,512})'?|(?<value>(?:(?!\(\s{0,3}[A-Za-z_][A-Za-z0-9_]{0,48}\s{0,3}:)[^\s""'&,;<>{}\[\]\\])+))", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Pair();

    [GeneratedRegex(@"<(?:[A-Za-z_][\w.-]*:)?(?<key>[A-Za-z_][\w.-]{0,48})(?:\s[^<>]*)?>(?<value>[^<>]{1,512})</", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Element();
}
