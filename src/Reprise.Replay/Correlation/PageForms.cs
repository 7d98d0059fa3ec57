using System.Text.RegularExpressions;

namespace Reprise.Replay.Correlation;

/// <summary>
/// The anti-forgery token of each form of the latest page, with the form's other hidden fields: when a page holds several
/// forms whose tokens were recorded as masks of one length (Icinga Web 2's <c>CSRFToken</c> is <c>seed|hmac</c> with a
/// random seed of 9 or 10 digits, so its forms carry masks of 74 or 75 stars), the mask a post sends back is ambiguous.
/// The browser sent the token of the form it submitted; that form is the one whose hidden fields the post carries with the
/// same values (Icinga's <c>formUID=form_config_preferences</c>, a form's action or id fields), as long as exactly one
/// form of the page fits.
/// </summary>
internal static partial class PageForms
{
    /// <summary>Most forms read from one page.</summary>
    private const int MaxForms = 64;

    /// <summary>Each form of <paramref name="page"/> that holds a hidden token-named field, with its other hidden fields.</summary>
    public static List<PageForm> Read(string page, Func<string, bool> isTokenName)
    {
        var forms = new List<PageForm>();
        foreach (Match form in Form().Matches(page))
        {
            string? field = null, value = null;
            var hidden = new List<(string Name, string Value)>();
            foreach (Match input in Input().Matches(form.Groups["body"].Value))
            {
                var tag = input.Value;
                if (Attribute(tag, "type") is not { } type || !type.Equals("hidden", StringComparison.OrdinalIgnoreCase)
                    || Attribute(tag, "name") is not { Length: > 0 } name)
                {
                    continue;
                }

                var text = Attribute(tag, "value") ?? string.Empty;
                if (isTokenName(name))
                {
                    (field, value) = field is null ? (name, text) : (field, value);
                }
                else
                {
                    hidden.Add((name, text));
                }
            }

            if (field is not null && value is { Length: > 0 } && hidden.Count > 0)
            {
                forms.Add(new PageForm(field, value, [.. hidden]));
                if (forms.Count == MaxForms)
                {
                    break;
                }
            }
        }

        return forms;
    }

    /// <summary>
    /// The token of the one form posting <paramref name="field"/> whose hidden fields <paramref name="posted"/> all carries
    /// with the same values; null when none or several forms (with different tokens) fit.
    /// </summary>
    public static string? TokenOf(IReadOnlyList<PageForm> forms, string field, IReadOnlyList<KeyValuePair<string, string>> posted)
    {
        string? found = null;
        foreach (var form in forms)
        {
            if (!form.Field.Equals(field, StringComparison.Ordinal) || !Carries(posted, form.Hidden))
            {
                continue;
            }

            if (found is not null && !string.Equals(found, form.Token, StringComparison.Ordinal))
            {
                return null;
            }

            found = form.Token;
        }

        return found;
    }

    private static bool Carries(IReadOnlyList<KeyValuePair<string, string>> posted, (string Name, string Value)[] hidden)
    {
        foreach (var (name, value) in hidden)
        {
            var carried = false;
            foreach (var pair in posted)
            {
                if (pair.Key.Equals(name, StringComparison.Ordinal) && pair.Value.Equals(value, StringComparison.Ordinal))
                {
                    carried = true;
                    break;
                }
            }

            if (!carried)
            {
                return false;
            }
        }

        return true;
    }

    private static string? Attribute(string tag, string name)
    {
        foreach (Match attribute in Attributes().Matches(tag))
        {
            if (attribute.Groups["name"].Value.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                var group = attribute.Groups["dq"].Success ? attribute.Groups["dq"] : attribute.Groups["sq"];
                return System.Net.WebUtility.HtmlDecode(group.Value);
            }
        }

        return null;
    }

    [GeneratedRegex("""<form\b[^>]*>(?<body>.*?)</form\s*>""", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Form();

    [GeneratedRegex("""<input\b[^>]*>""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Input();

    [GeneratedRegex("""\s(?<name>[A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"(?<dq>[^"]*)"|'(?<sq>[^']*)')""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Attributes();
}
