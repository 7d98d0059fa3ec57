using Reprise.Core.Json;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Reprise.Mock.Templating;

/// <summary>
/// A string with <c>{{expression}}</c> holes. Expressions: <c>request.path[N]</c>,
/// <c>request.query.NAME</c>, <c>request.header.NAME</c>, <c>request.body.$.json.path</c>,
/// <c>now</c> (ISO-8601 UTC), <c>now.unix</c>, <c>now.unixms</c>. A missing value renders empty.
/// </summary>
internal sealed class TemplateString
{
    private readonly object[] _parts; // string literal or Hole

    private TemplateString(object[] parts) => _parts = parts;

    /// <summary>True when the template is a single expression (its value keeps its JSON type).</summary>
    public bool IsSingleExpression => _parts is [Hole];

    public static TemplateString? Parse(string text, string where, List<string> errors)
    {
        var parts = new List<object>();
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(text[i..]);
                break;
            }

            if (open > i)
            {
                parts.Add(text[i..open]);
            }

            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                errors.Add($"{where}: '{text}' has '{{{{' without '}}}}'");
                return null;
            }

            var expression = text[(open + 2)..close].Trim();
            if (Hole.TryParse(expression) is not { } hole)
            {
                errors.Add($"{where}: '{{{{{expression}}}}}' is not a template expression (request.path[N], request.query.NAME, request.header.NAME, request.body.$.PATH, now, now.unix, now.unixms)");
                return null;
            }

            parts.Add(hole);
            i = close + 2;
        }

        return new TemplateString([.. parts]);
    }

    public string Render(TemplateContext context)
    {
        var builder = new StringBuilder();
        foreach (var part in _parts)
        {
            builder.Append(part is Hole hole ? AsText(hole.Evaluate(context)) : (string)part);
        }

        return builder.ToString();
    }

    /// <summary>The value as JSON: a single body expression keeps its type; everything else is a string.</summary>
    public JsonNode? RenderJson(TemplateContext context) =>
        _parts is [Hole hole] && hole.Evaluate(context) is { } node ? node.DeepClone() : JsonValue.Create(Render(context));

    private static string? AsText(JsonNode? node) =>
        node is null ? null : node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node.ToJsonString();

    private sealed class Hole
    {
        private string _kind = string.Empty;
        private string _name = string.Empty;
        private int _index;
        private JsonPath? _path;

        public static Hole? TryParse(string expression)
        {
            if (expression is "now" or "now.unix" or "now.unixms")
            {
                return new Hole { _kind = expression };
            }

            if (expression.StartsWith("request.path[", StringComparison.Ordinal) && expression.EndsWith(']')
                && int.TryParse(expression["request.path[".Length..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return new Hole { _kind = "path", _index = index };
            }

            if (expression.StartsWith("request.query.", StringComparison.Ordinal) && expression.Length > 14)
            {
                return new Hole { _kind = "query", _name = expression[14..] };
            }

            if (expression.StartsWith("request.header.", StringComparison.Ordinal) && expression.Length > 15)
            {
                return new Hole { _kind = "header", _name = expression[15..] };
            }

            if (expression.StartsWith("request.body.", StringComparison.Ordinal) && JsonPath.TryParseSingular(expression[13..], out _) is { } path)
            {
                return new Hole { _kind = "body", _path = path };
            }

            return null;
        }

        public JsonNode? Evaluate(TemplateContext context) => _kind switch
        {
            "now" => (JsonNode?)context.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            "now.unix" => context.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            "now.unixms" => context.Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            "path" => context.PathSegment(_index),
            "query" => context.Query(_name),
            "header" => context.Header(_name),
            "body" => context.Body(_path!),
            _ => null,
        };
    }
}
