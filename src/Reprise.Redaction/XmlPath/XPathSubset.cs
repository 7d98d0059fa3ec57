namespace Reprise.Redaction.XmlPath;

/// <summary>
/// The XPath-style subset for XML and SOAP rules: <c>/Envelope/Body/Login/Password</c>, <c>//Password</c>,
/// <c>//Card/*</c>, <c>//User/@ssn</c>, <c>//@token</c>. Names are local names (namespace prefixes are
/// ignored, so <c>//Password</c> matches <c>wsse:Password</c>) and compared case-sensitively, as in XML.
/// Predicates and axes are rejected at validation. An element selects all text beneath it.
/// </summary>
public sealed class XPathSubset
{
    private readonly (bool Descendant, string? Name)[] _steps;
    private readonly string? _attribute;

    private XPathSubset(string text, (bool, string?)[] steps, string? attribute)
    {
        Text = text;
        _steps = steps;
        _attribute = attribute;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>True when the expression selects an attribute (<c>@name</c> or <c>@*</c>).</summary>
    public bool SelectsAttribute => _attribute is not null;

    public static XPathSubset? TryParse(string text, out string? error)
    {
        error = null;
        var s = text.Trim();
        if (!s.StartsWith('/'))
        {
            error = "must start with '/' or '//'";
            return null;
        }

        var steps = new List<(bool, string?)>();
        string? attribute = null;
        var i = 0;
        while (i < s.Length)
        {
            if (attribute is not null)
            {
                error = "an attribute step must be last";
                return null;
            }

            var descendant = s.AsSpan(i).StartsWith("//");
            i += descendant ? 2 : 1;
            var start = i;
            while (i < s.Length && s[i] != '/')
            {
                i++;
            }

            var name = s[start..i];
            if (name.Length == 0)
            {
                error = $"empty step at column {start + 1}";
                return null;
            }

            if (name.IndexOfAny(['[', ']', '(', ')', '=', ' ']) >= 0 || name.Contains("::", StringComparison.Ordinal))
            {
                error = $"unsupported step '{name}' (supported: name, *, @name, @*)";
                return null;
            }

            if (name[0] == '@')
            {
                attribute = name[1..].Length == 0 ? null : name[1..];
                if (attribute is null)
                {
                    error = "empty attribute name";
                    return null;
                }

                if (descendant)
                {
                    steps.Add((true, null));
                }

                continue;
            }

            var colon = name.IndexOf(':', StringComparison.Ordinal);
            var local = colon >= 0 ? name[(colon + 1)..] : name;
            steps.Add((descendant, local == "*" ? null : local));
        }

        return new XPathSubset(s, [.. steps], attribute);
    }

    /// <summary>True when the element (local names from the root) or one of its ancestors is selected.</summary>
    public bool MatchesElement(IReadOnlyList<string> path)
    {
        if (_attribute is not null)
        {
            return false;
        }

        for (var length = path.Count; length >= 1; length--)
        {
            if (Match(0, 0, path, length))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when attribute <paramref name="attribute"/> of the element at <paramref name="path"/> is selected.</summary>
    public bool MatchesAttribute(IReadOnlyList<string> path, string attribute) =>
        _attribute is not null && (_attribute == "*" || _attribute == attribute) && Match(0, 0, path, path.Count);

    public override string ToString() => Text;

    private bool Match(int si, int pi, IReadOnlyList<string> path, int length)
    {
        if (si == _steps.Length)
        {
            return pi == length;
        }

        var (descendant, name) = _steps[si];
        if (!descendant)
        {
            return pi < length && (name is null || name == path[pi]) && Match(si + 1, pi + 1, path, length);
        }

        // '//@x' is stored as a descendant wildcard step meaning "any element at any depth".
        for (var k = pi; k < length; k++)
        {
            if ((name is null || name == path[k]) && Match(si + 1, k + 1, path, length))
            {
                return true;
            }
        }

        return false;
    }
}
