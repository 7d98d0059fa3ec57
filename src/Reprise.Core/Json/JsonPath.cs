using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Reprise.Core.Json;

/// <summary>
/// The singular JSONPath subset that correlation rules (replay) and response templates (mock) need: <c>$</c>, <c>.name</c>, <c>['name']</c> and <c>[index]</c>
/// (no wildcards, filters or slices). There is no JSONPath package for System.Text.Json.
/// </summary>
public sealed class JsonPath
{
    private readonly object[] _steps; // string (property) or int (index)

    private JsonPath(object[] steps) => _steps = steps;

    /// <summary>The steps, each a property name (string) or an array index (int).</summary>
    public IReadOnlyList<object> Steps => _steps;

    /// <summary>Parses a path; null and an error message when it is outside the subset.</summary>
    public static JsonPath? TryParse(string text, out string? error)
    {
        error = null;
        var steps = new List<object>();
        var s = text.AsSpan().Trim();
        if (s.IsEmpty || s[0] != '$')
        {
            error = $"'{text}' is not a JSON path (it must start with $)";
            return null;
        }

        var i = 1;
        while (i < s.Length)
        {
            if (s[i] == '.')
            {
                var start = ++i;
                while (i < s.Length && s[i] != '.' && s[i] != '[')
                {
                    i++;
                }

                if (i == start)
                {
                    error = $"'{text}': empty property name at offset {start}";
                    return null;
                }

                steps.Add(s[start..i].ToString());
            }
            else if (s[i] == '[')
            {
                if (i + 1 < s.Length && s[i + 1] is '\'' or '"')
                {
                    // A quoted name may hold ']' or '.': it ends at the matching quote followed by ']'.
                    var quote = s[i + 1];
                    var end = s[(i + 2)..].IndexOf([quote, ']']);
                    if (end < 0)
                    {
                        error = $"'{text}': unclosed [{quote} at offset {i}";
                        return null;
                    }

                    steps.Add(s.Slice(i + 2, end).ToString());
                    i += end + 4;
                    continue;
                }

                var close = s[i..].IndexOf(']');
                if (close < 0)
                {
                    error = $"'{text}': unclosed '[' at offset {i}";
                    return null;
                }

                var inner = s.Slice(i + 1, close - 1);
                if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    steps.Add(index);
                }
                else
                {
                    error = $"'{text}': '[{inner}]' is not an index or a quoted name (wildcards and filters are not supported)";
                    return null;
                }

                i += close + 1;
            }
            else
            {
                error = $"'{text}': unexpected '{s[i]}' at offset {i}";
                return null;
            }
        }

        return new JsonPath([.. steps]);
    }

    /// <summary>The node at this path, or null.</summary>
    public JsonNode? Get(JsonNode? root)
    {
        var node = root;
        foreach (var step in _steps)
        {
            node = step switch
            {
                string name when node is JsonObject obj => obj.TryGetPropertyValue(name, out var child) ? child : null,
                int index when node is JsonArray array => index < array.Count ? array[index] : null,
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Replaces the value at this path (the parent must exist); false when it does not.</summary>
    public bool Set(JsonNode root, JsonNode? value)
    {
        if (_steps.Length == 0)
        {
            return false;
        }

        var parent = _steps.Length == 1 ? root : new JsonPath(_steps[..^1]).Get(root);
        switch (_steps[^1])
        {
            case string name when parent is JsonObject obj:
                obj[name] = value;
                return true;
            case int index when parent is JsonArray array && index < array.Count:
                array[index] = value;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The canonical text (<c>$.a[0]['b c']</c>).</summary>
    public override string ToString()
    {
        var builder = new StringBuilder("$");
        foreach (var step in _steps)
        {
            if (step is int index)
            {
                builder.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else if (step is string name && IsPlain(name))
            {
                builder.Append('.').Append(name);
            }
            else
            {
                builder.Append("['").Append((string)step).Append("']");
            }
        }

        return builder.ToString();
    }

    private static bool IsPlain(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}
