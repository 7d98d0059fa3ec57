using System.Text;
using System.Text.RegularExpressions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Engine;

/// <summary>
/// The search arguments written inline in a GraphQL document (<c>customers(search: "Watanabe")</c>,
/// <c>filter: { name: { _contains: "schmidt" } }</c>): the string literals of arguments and input fields named like a
/// search or a filter operator (<see cref="NameSearchTerms.IsSearchMember"/>) have their name words replaced, as the same
/// terms in variables are. A literal with an escape (<c>\"</c>, <c>\u00e9</c>) or a block string is left to the other passes.
/// </summary>
internal static partial class GraphQlSearchArguments
{
    /// <summary>The document with its inline search terms' name words replaced (recorded at <paramref name="location"/>); null when none changed.</summary>
    public static string? Rewrite(string document, string location, RedactionSession session, List<RedactedName>? own, NameSearchTerms? stream)
    {
        StringBuilder? output = null;
        var copied = 0;
        for (var match = Argument().Match(document); match.Success; match = match.NextMatch())
        {
            var name = match.Groups["name"].Value;
            var value = match.Groups["value"];
            if (!NameSearchTerms.IsSearchMember(name, FieldNames.Normalize(name))
                || NameSearchTerms.RewriteWords(value.Value, location, string.Empty, encodedKey: false, session, own, stream) is not { } rewritten)
            {
                continue;
            }

            output ??= new StringBuilder(document.Length + 32);
            output.Append(document, copied, value.Index - copied).Append(rewritten);
            copied = value.Index + value.Length;
        }

        return output?.Append(document, copied, document.Length - copied).ToString();
    }

    /// <summary><c>name: "literal"</c> (not a block string <c>"""</c>, no escapes).</summary>
    [GeneratedRegex("""(?<name>[_$A-Za-z][_$A-Za-z0-9]*)\s*:\s*"(?!"")(?<value>[^"\\\r\n]*)"(?!")""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Argument();
}
