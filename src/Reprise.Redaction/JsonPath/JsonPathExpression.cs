using System.Globalization;
using System.Text;

namespace Reprise.Redaction.JsonPath;

/// <summary>
/// The JSONPath subset the rules file accepts (RFC 9535 syntax): <c>$</c>, <c>.name</c>,
/// <c>['name']</c>, <c>[n]</c>, <c>.*</c>/<c>[*]</c>, and recursive descent <c>..name</c>/<c>..*</c>/<c>..[n]</c>.
/// Filters, slices, negative indices and unions are rejected at validation. A value is selected
/// when it or any of its ancestors matches, so <c>$.user</c> covers everything inside <c>user</c>.
/// </summary>
public sealed class JsonPathExpression
{
    private readonly Step[] _steps;

    private JsonPathExpression(string text, Step[] steps)
    {
        Text = text;
        _steps = steps;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>Parses; returns null and a message (with the 1-based column) when the expression is outside the subset.</summary>
    public static JsonPathExpression? TryParse(string text, out string? error)
    {
        error = null;
        var steps = new List<Step>();
        var s = text.Trim();
        if (s.Length == 0 || s[0] != '$')
        {
            error = "must start with '$'";
            return null;
        }

        var i = 1;
        while (i < s.Length)
        {
            var descendant = false;
            if (s[i] == '.')
            {
                if (i + 1 < s.Length && s[i + 1] == '.')
                {
                    descendant = true;
                    i += 2;
                }
                else
                {
                    i++;
                }

                if (i < s.Length && s[i] == '[')
                {
                    if (!descendant)
                    {
                        error = $"unexpected '[' after '.' at column {i + 1}";
                        return null;
                    }
                }
                else if (i < s.Length && s[i] == '*')
                {
                    steps.Add(new Step(descendant, null, -1, Wildcard: true));
                    i++;
                    continue;
                }
                else
                {
                    var start = i;
                    while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '-' or '$' or '@'))
                    {
                        i++;
                    }

                    if (i == start)
                    {
                        error = $"expected a member name at column {start + 1}";
                        return null;
                    }

                    steps.Add(new Step(descendant, s[start..i], -1, Wildcard: false));
                    continue;
                }
            }

            if (s[i] != '[')
            {
                error = $"unexpected '{s[i]}' at column {i + 1}";
                return null;
            }

            var close = FindClose(s, i);
            if (close < 0)
            {
                error = $"unclosed '[' at column {i + 1}";
                return null;
            }

            var inner = s[(i + 1)..close].Trim();
            if (inner == "*")
            {
                steps.Add(new Step(descendant, null, -1, Wildcard: true));
            }
            else if (inner.Length >= 2 && (inner[0] is '\'' or '"') && inner[^1] == inner[0])
            {
                steps.Add(new Step(descendant, Unquote(inner[1..^1]), -1, Wildcard: false));
            }
            else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                steps.Add(new Step(descendant, null, index, Wildcard: false));
            }
            else
            {
                error = $"unsupported selector '[{inner}]' at column {i + 1} (supported: [n], [*], ['name'])";
                return null;
            }

            i = close + 1;
        }

        return new JsonPathExpression(s, [.. steps]);
    }

    /// <summary>True when this exact location matches.</summary>
    public bool Matches(IReadOnlyList<PathSegment> path, int length) => Match(0, 0, path, length);

    /// <summary>True when the location or any ancestor matches (the value is inside a selected subtree).</summary>
    public bool MatchesSelfOrAncestor(IReadOnlyList<PathSegment> path)
    {
        for (var length = path.Count; length >= 0; length--)
        {
            if (Match(0, 0, path, length))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Formats a concrete location as a normalised path (<c>$.user.email</c>, <c>$.items[2]['odd key']</c>).</summary>
    public static string Format(IReadOnlyList<PathSegment> path, int length)
    {
        var sb = new StringBuilder("$");
        for (var i = 0; i < length; i++)
        {
            var segment = path[i];
            if (segment.Name is null)
            {
                sb.Append('[').Append(segment.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else if (IsPlain(segment.Name))
            {
                sb.Append('.').Append(segment.Name);
            }
            else
            {
                sb.Append("['").Append(segment.Name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
            }
        }

        return sb.ToString();
    }

    public override string ToString() => Text;

    private bool Match(int si, int pi, IReadOnlyList<PathSegment> path, int length)
    {
        if (si == _steps.Length)
        {
            return pi == length;
        }

        var step = _steps[si];
        if (!step.Descendant)
        {
            return pi < length && step.Accepts(path[pi]) && Match(si + 1, pi + 1, path, length);
        }

        for (var k = pi; k < length; k++)
        {
            if (step.Accepts(path[k]) && Match(si + 1, k + 1, path, length))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPlain(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '-' or '$' or '@'))
            {
                return false;
            }
        }

        return true;
    }

    private static int FindClose(string s, int open)
    {
        char? quote = null;
        for (var i = open + 1; i < s.Length; i++)
        {
            var c = s[i];
            if (quote is { } q)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == q)
                {
                    quote = null;
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == ']')
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unquote(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            sb.Append(text[i]);
        }

        return sb.ToString();
    }

    private readonly record struct Step(bool Descendant, string? Name, int Index, bool Wildcard)
    {
        public bool Accepts(PathSegment segment) =>
            Wildcard || (Name is not null ? string.Equals(segment.Name, Name, StringComparison.Ordinal) : segment.Name is null && segment.Index == Index);
    }
}
