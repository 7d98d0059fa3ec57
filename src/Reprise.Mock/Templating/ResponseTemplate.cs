using Reprise.Core.Json;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reprise.Mock.Templating;

/// <summary>A route's response edits: JSON paths set from templates and headers set from templates.</summary>
internal sealed class ResponseTemplate
{
    private readonly (JsonPath Path, TemplateString Value)[] _set;
    private readonly (string Name, TemplateString Value)[] _headers;

    private ResponseTemplate((JsonPath, TemplateString)[] set, (string, TemplateString)[] headers)
    {
        _set = set;
        _headers = headers;
    }

    public IReadOnlyList<(string Name, TemplateString Value)> Headers => _headers;

    public bool HasBodyEdits => _set.Length > 0;

    public static ResponseTemplate? Build(Dictionary<string, string> set, Dictionary<string, string> headers, string where, List<string> errors)
    {
        if (set.Count == 0 && headers.Count == 0)
        {
            return null;
        }

        var sets = new List<(JsonPath, TemplateString)>();
        foreach (var (path, value) in set)
        {
            if (JsonPath.TryParseSingular(path, out var pathError) is not { } jsonPath)
            {
                errors.Add($"{where}set: {pathError} (use $.a.b, $.items[0], $['x'])");
                continue;
            }

            if (TemplateString.Parse(value, $"{where}set.{path}", errors) is { } template)
            {
                sets.Add((jsonPath!, template));
            }
        }

        var heads = new List<(string, TemplateString)>();
        foreach (var (name, value) in headers)
        {
            if (TemplateString.Parse(value, $"{where}headers.{name}", errors) is { } template)
            {
                heads.Add((name, template));
            }
        }

        return new ResponseTemplate([.. sets], [.. heads]);
    }

    /// <summary>Applies the body edits to a JSON response body; non-JSON bodies are returned unchanged.</summary>
    public ReadOnlyMemory<byte> ApplyBody(ReadOnlyMemory<byte> body, TemplateContext context)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span);
        }
        catch (JsonException)
        {
            return body;
        }

        if (root is null)
        {
            return body;
        }

        foreach (var (path, template) in _set)
        {
            var value = template.RenderJson(context);
            if (path.Get(root) is JsonValue original && original.GetValueKind() == JsonValueKind.Number
                && value is JsonValue rendered && rendered.TryGetValue<string>(out var text)
                && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                value = JsonValue.Create(number);
            }

            path.Set(root, value);
        }

        return JsonSerializer.SerializeToUtf8Bytes(root);
    }
}
