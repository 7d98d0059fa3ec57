using System.Globalization;
using System.Text.Json.Nodes;

namespace Reprise.Mock.Templating;

/// <summary>
/// The JSONPath subset templates use: <c>$</c>, <c>.name</c>, <c>['name']</c>, <c>[N]</c>
/// (no wildcards, filters or recursion). Parsed once at config load.
/// </summary>
internal sealed class JsonPathLite
{
    private readonly object[] _segments; // string (property) or int (index)

    private JsonPathLite(string text, object[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    public static bool TryParse(string text, out JsonPathLite? path)
    {
        path = null;
        if (!text.StartsWith('$'))
        {
            return false;
        }

        var segments = new List<object>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < text.Length && text[i] is not ('.' or '['))
                {
                    i++;
                }

                if (i == start)
                {
                    return false;
                }

                segments.Add(text[start..i]);
            }
            else if (text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    return false;
                }

                var inner = text[(i + 1)..close];
                if (inner.Length >= 2 && inner[0] == '\'' && inner[^1] == '\'')
                {
                    segments.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    segments.Add(index);
                }
                else
                {
                    return false;
                }

                i = close + 1;
            }
            else
            {
                return false;
            }
        }

        path = new JsonPathLite(text, [.. segments]);
        return true;
    }

    /// <summary>The node at the path, or null.</summary>
    public JsonNode? Select(JsonNode? root)
    {
        var node = root;
        foreach (var segment in _segments)
        {
            node = segment switch
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

    /// <summary>Sets the value at the path when its parent exists; returns false otherwise.</summary>
    public bool Set(JsonNode root, JsonNode? value)
    {
        if (_segments.Length == 0)
        {
            return false;
        }

        var parent = _segments.Length == 1 ? root : new JsonPathLite(Text, _segments[..^1]).Select(root);
        switch (_segments[^1])
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
}
