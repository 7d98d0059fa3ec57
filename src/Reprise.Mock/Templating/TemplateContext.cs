using Reprise.Core.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reprise.Core.Protocols;

namespace Reprise.Mock.Templating;

/// <summary>What a template can read from the live request (body parsed lazily, at most once).</summary>
internal sealed class TemplateContext(string path, string query, Func<string, string?> header, ReadOnlyMemory<byte> body, DateTimeOffset now)
{
    private JsonNode? _json;
    private bool _parsed;
    private List<KeyValuePair<string, string>>? _query;

    public DateTimeOffset Now { get; } = now;

    public string? PathSegment(int index)
    {
        var segments = path.TrimStart('/').Split('/');
        return index < segments.Length ? Uri.UnescapeDataString(segments[index]) : null;
    }

    public string? Query(string name)
    {
        _query ??= QueryString.Parse(query.TrimStart('?'));
        foreach (var pair in _query)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return null;
    }

    public string? Header(string name) => header(name);

    public JsonNode? Body(JsonPath jsonPath)
    {
        if (!_parsed)
        {
            _parsed = true;
            try
            {
                _json = body.IsEmpty ? null : JsonNode.Parse(body.Span);
            }
            catch (JsonException)
            {
                _json = null;
            }
        }

        return jsonPath.Get(_json);
    }
}
