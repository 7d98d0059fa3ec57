using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Reprise.Core.Json;

/// <summary>
/// The one JSONPath subset of Reprise (RFC 9535 syntax), for redaction rules, replay correlation
/// rules and mock response templates: <c>$</c>, <c>.name</c>, <c>['name']</c> / <c>["name"]</c>
/// (with RFC 9535 escapes), <c>[n]</c>, <c>.*</c> / <c>[*]</c>, and recursive descent
/// <c>..name</c> / <c>..*</c> / <c>..[n]</c>; blank space is allowed inside brackets. Filters,
/// slices, negative indices and unions are rejected with the column of the bad character. There
/// is no JSONPath package for System.Text.Json.
/// </summary>
/// <remarks>
/// Paths that select one value (<see cref="IsSingular"/>: names and indices only) can also
/// <see cref="Get"/> and <see cref="Set"/>; <see cref="TryParseSingular"/> rejects the others where
/// one value is needed.
/// </remarks>
public sealed class JsonPath
{
    private const string Supported = " (supported: .name, ['name'], [n], [*], .*, ..name, ..[n], ..*)";

    private readonly JsonPathStep[] _steps;

    private JsonPath(string text, JsonPathStep[] steps)
    {
        Text = text;
        _steps = steps;
        IsSingular = Array.TrueForAll(steps, s => s.IsSingular);
    }

    /// <summary>The expression as written (trimmed).</summary>
    public string Text { get; }

    /// <summary>The selectors, in order.</summary>
    public IReadOnlyList<JsonPathStep> Steps => _steps;

    /// <summary>True when the path names at most one value (no wildcard, no descendant).</summary>
    public bool IsSingular { get; }

    /// <summary>Parses; null and a one-line message naming the 1-based column of the bad character when outside the subset.</summary>
    public static JsonPath? TryParse(string text, out string? error)
    {
        var lead = text.Length - text.TrimStart().Length;
        var s = text.Trim();
        var steps = new List<JsonPathStep>();
        error = null;
        if (s.Length == 0 || s[0] != '$')
        {
            return Fail(text, "must start with '$'", lead, 0, out error);
        }

        var i = 1;
        while (i < s.Length)
        {
            var descendant = false;
            if (s[i] == '.')
            {
                descendant = i + 1 < s.Length && s[i + 1] == '.';
                i += descendant ? 2 : 1;
                if (i < s.Length && s[i] == '[')
                {
                    if (!descendant)
                    {
                        return Fail(text, "unexpected '[' after '.'", lead, i, out error);
                    }
                }
                else if (i < s.Length && s[i] == '*')
                {
                    steps.Add(new JsonPathStep(descendant, null, -1, Wildcard: true));
                    i++;
                    continue;
                }
                else
                {
                    var start = i;
                    while (i < s.Length && IsNameChar(s[i]))
                    {
                        i++;
                    }

                    if (i == start)
                    {
                        return Fail(text, i < s.Length ? $"expected a member name, found '{s[i]}'" : "expected a member name", lead, i, out error);
                    }

                    steps.Add(new JsonPathStep(descendant, s[start..i], -1, Wildcard: false));
                    continue;
                }
            }

            if (s[i] != '[')
            {
                return Fail(text, $"unexpected '{s[i]}'", lead, i, out error);
            }

            var open = i;
            var j = SkipBlank(s, i + 1);
            if (j >= s.Length)
            {
                return Fail(text, "unclosed '['", lead, open, out error);
            }

            JsonPathStep step;
            if (s[j] is '\'' or '"')
            {
                if (ReadQuoted(s, ref j, out var name, out var bad) is { } problem)
                {
                    return Fail(text, problem, lead, bad, out error);
                }

                step = new JsonPathStep(descendant, name, -1, Wildcard: false);
            }
            else if (s[j] == '*')
            {
                step = new JsonPathStep(descendant, null, -1, Wildcard: true);
                j++;
            }
            else if (char.IsAsciiDigit(s[j]))
            {
                var start = j;
                while (j < s.Length && char.IsAsciiDigit(s[j]))
                {
                    j++;
                }

                if (!int.TryParse(s.AsSpan(start, j - start), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    return Fail(text, "index too large", lead, start, out error);
                }

                step = new JsonPathStep(descendant, null, index, Wildcard: false);
            }
            else
            {
                return Fail(text, $"unsupported selector '{s[j]}'", lead, j, out error, Supported);
            }

            j = SkipBlank(s, j);
            if (j >= s.Length)
            {
                return Fail(text, "unclosed '['", lead, open, out error);
            }

            if (s[j] != ']')
            {
                return Fail(text, $"unsupported selector '{s[j]}'", lead, j, out error, Supported);
            }

            steps.Add(step);
            i = j + 1;
        }

        return new JsonPath(s, [.. steps]);
    }

    /// <summary>Parses a path that must name one value (no wildcard, no descendant), as where a value is read or written.</summary>
    public static JsonPath? TryParseSingular(string text, out string? error)
    {
        var path = TryParse(text, out error);
        if (path is null || path.IsSingular)
        {
            return path;
        }

        var s = text.Trim();
        var lead = text.Length - text.TrimStart().Length;
        var at = FirstPlural(s);
        return Fail(text, $"'{(s[at] == '*' ? "*" : "..")}' selects many values", lead, at, out error, "; this needs one value");
    }

    /// <summary>The node at this singular path, or null.</summary>
    /// <exception cref="InvalidOperationException">The path is not singular.</exception>
    public JsonNode? Get(JsonNode? root) => GetPrefix(root, _steps.Length);

    /// <summary>Replaces the value at this singular path (the parent must exist); false when it does not.</summary>
    /// <exception cref="InvalidOperationException">The path is not singular.</exception>
    public bool Set(JsonNode root, JsonNode? value)
    {
        if (_steps.Length == 0)
        {
            return false;
        }

        var parent = GetPrefix(root, _steps.Length - 1);
        var last = _steps[^1];
        switch (parent)
        {
            case JsonObject obj when last.Name is not null:
                obj[last.Name] = value;
                return true;
            case JsonArray array when last.Name is null && last.Index < array.Count:
                array[last.Index] = value;
                return true;
            default:
                return false;
        }
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
        AppendSteps(sb, path, length);
        return sb.ToString();
    }

    /// <summary>Appends what <see cref="Format"/> returns to <paramref name="sb"/> (for callers that prefix it and reuse a builder).</summary>
    public static void AppendFormatted(StringBuilder sb, IReadOnlyList<PathSegment> path, int length)
    {
        sb.Append('$');
        AppendSteps(sb, path, length);
    }

    private static void AppendSteps(StringBuilder sb, IReadOnlyList<PathSegment> path, int length)
    {
        for (var i = 0; i < length; i++)
        {
            var segment = path[i];
            AppendStep(sb, new JsonPathStep(false, segment.Name, segment.Name is null ? segment.Index : -1, false));
        }
    }

    /// <summary>The canonical text (<c>$.a[0]['b c']..id[*]</c>): parsing it gives the same steps.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("$");
        foreach (var step in _steps)
        {
            AppendStep(sb, step);
        }

        return sb.ToString();
    }

    private JsonNode? GetPrefix(JsonNode? root, int count)
    {
        if (!IsSingular)
        {
            throw new InvalidOperationException($"'{Text}' selects many values; Get and Set need a singular path");
        }

        var node = root;
        for (var i = 0; i < count && node is not null; i++)
        {
            var step = _steps[i];
            node = node switch
            {
                JsonObject obj when step.Name is not null => obj.TryGetPropertyValue(step.Name, out var child) ? child : null,
                JsonArray array when step.Name is null => step.Index < array.Count ? array[step.Index] : null,
                _ => null,
            };
        }

        return node;
    }

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

    private static void AppendStep(StringBuilder sb, JsonPathStep step)
    {
        var prefix = step.Descendant ? ".." : string.Empty;
        if (step.Wildcard)
        {
            sb.Append(step.Descendant ? "..*" : ".*");
        }
        else if (step.Name is null)
        {
            sb.Append(prefix).Append('[').Append(step.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
        }
        else if (IsPlain(step.Name))
        {
            sb.Append(step.Descendant ? ".." : ".").Append(step.Name);
        }
        else
        {
            sb.Append(prefix);
            sb.Append("['");
            foreach (var c in step.Name)
            {
                switch (c)
                {
                    case '\\': sb.Append(@"\\"); break;
                    case '\'': sb.Append(@"\'"); break;
                    case '\b': sb.Append(@"\b"); break;
                    case '\f': sb.Append(@"\f"); break;
                    case '\n': sb.Append(@"\n"); break;
                    case '\r': sb.Append(@"\r"); break;
                    case '\t': sb.Append(@"\t"); break;
                    case < ' ': sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                    default: sb.Append(c); break;
                }
            }

            sb.Append("']");
        }
    }

    /// <summary>Member-name shorthand characters: RFC 9535's (letters, digits, '_', non-ASCII) plus '-', '$' and '@', common in real keys.</summary>
    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$' or '@' || (c >= 0x80 && !char.IsWhiteSpace(c));

    private static bool IsPlain(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsNameChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Where the first wildcard or descendant selector starts (outside quoted names).</summary>
    private static int FirstPlural(string s)
    {
        char? quote = null;
        for (var i = 0; i < s.Length; i++)
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
            else if (c == '*' || (c == '.' && i + 1 < s.Length && s[i + 1] == '.'))
            {
                return i;
            }
        }

        return 0;
    }

    private static int SkipBlank(string s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\r')
        {
            i++;
        }

        return i;
    }

    /// <summary>Reads a quoted name at <paramref name="i"/> (on the quote) with RFC 9535 escapes; leaves i after the closing quote. Returns a problem, else null.</summary>
    private static string? ReadQuoted(string s, ref int i, out string name, out int bad)
    {
        var quote = s[i];
        var sb = new StringBuilder();
        name = string.Empty;
        bad = i;
        for (var k = i + 1; k < s.Length; k++)
        {
            var c = s[k];
            if (c == quote)
            {
                name = sb.ToString();
                i = k + 1;
                return null;
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (++k >= s.Length)
            {
                break;
            }

            switch (s[k])
            {
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (k + 4 >= s.Length || !int.TryParse(s.AsSpan(k + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        bad = k - 1;
                        return "invalid \\u escape (expected four hex digits)";
                    }

                    sb.Append((char)code);
                    k += 4;
                    break;
                default: sb.Append(s[k]); break; // \' \" \\ \/ and, leniently, any other escaped character as itself
            }
        }

        return $"unclosed {quote} string";
    }

    private static JsonPath? Fail(string text, string what, int lead, int index, out string? error, string hint = "")
    {
        error = $"'{text.Trim()}': {what} at column {lead + index + 1}{hint}";
        return null;
    }
}
