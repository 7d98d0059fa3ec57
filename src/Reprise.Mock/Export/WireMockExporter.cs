using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reprise.Core.Model;
using Reprise.Core.Protocols;
using Reprise.Mock.Matching;
using Reprise.Mock.Serving;

namespace Reprise.Mock.Export;

/// <summary>
/// Writes WireMock stub mappings (one JSON file per exchange under <c>DIR/mappings</c>, binary bodies
/// under <c>DIR/__files</c>) loadable with <c>wiremock --root-dir DIR</c>. Repeated identical
/// requests become a WireMock scenario so they answer in recorded order, then repeat the last.
/// </summary>
public static class WireMockExporter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Exports; returns the number of mappings written.</summary>
    public static async Task<int> ExportAsync(IAsyncEnumerable<Exchange> exchanges, string rootDirectory, Direction? direction, CancellationToken cancellationToken)
    {
        var mappings = Path.Combine(rootDirectory, "mappings");
        var files = Path.Combine(rootDirectory, "__files");
        Directory.CreateDirectory(mappings);
        var groups = new Dictionary<string, List<Exchange>>(StringComparer.Ordinal);
        var order = new List<string>();
        await foreach (var exchange in exchanges.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (exchange.Response is null || Matching.MockIndex.AnsweredByRecorder(exchange) || (direction is { } d && exchange.Direction != d))
            {
                continue;
            }

            var key = MockIndex.ShapeOf(exchange).Key(false, null, null);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
                order.Add(key);
            }

            list.Add(exchange);
        }

        var count = 0;
        foreach (var key in order)
        {
            var list = groups[key];
            var scenario = list.Count > 1 ? "reprise-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12] : null;
            for (var i = 0; i < list.Count; i++)
            {
                var exchange = list[i];
                var mapping = Mapping(exchange, files, count);
                if (scenario is not null)
                {
                    mapping["scenarioName"] = scenario;
                    mapping["requiredScenarioState"] = i == 0 ? "Started" : $"step-{i}";
                    if (i + 1 < list.Count)
                    {
                        mapping["newScenarioState"] = $"step-{i + 1}";
                    }
                }

                var name = $"{count:D5}-{Slug(exchange)}.json";
                await File.WriteAllTextAsync(Path.Combine(mappings, name), mapping.ToJsonString(Indented), cancellationToken).ConfigureAwait(false);
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The recorded JSON body as an <c>equalToJson</c> pattern: values shaped like per-call values (timestamps, UUIDs,
    /// nonces, epoch numbers) become WireMock's JSON placeholders (<c>${json-unit.any-string}</c>,
    /// <c>${json-unit.any-number}</c>), so a client sending a fresh one still matches, as with <c>reprise mock</c>.
    /// </summary>
    internal static string JsonPattern(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return text;
        }

        return node is not null && Placeholders(node) ? node.ToJsonString() : text;
    }

    private static bool Placeholders(JsonNode node)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToArray())
                {
                    changed |= Replace(obj[name], value => obj[name] = value);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var index = i;
                    changed |= Replace(array[i], value => array[index] = value);
                }

                break;
        }

        return changed;
    }

    private static bool Replace(JsonNode? child, Action<JsonNode> set)
    {
        if (child is JsonObject or JsonArray)
        {
            return Placeholders(child);
        }

        if (child is JsonValue value)
        {
            var kind = value.GetValueKind();
            if (kind == JsonValueKind.String && VolatileFormats.Default.IsVolatileValue(value.GetValue<string>()))
            {
                set(JsonValue.Create("${json-unit.any-string}"));
                return true;
            }

            if (kind == JsonValueKind.Number && VolatileFormats.Default.IsVolatileValue(value.ToJsonString()))
            {
                set(JsonValue.Create("${json-unit.any-number}"));
                return true;
            }
        }

        return false;
    }

    private static JsonObject Mapping(Exchange exchange, string filesDirectory, int number)
    {
        var request = exchange.Request;
        var match = new JsonObject { ["method"] = request.Method.ToUpperInvariant(), ["urlPath"] = UrlParts.Path(request.Url).ToString() };
        var query = UrlParts.Query(request.Url);
        if (!query.IsEmpty)
        {
            var parameters = new JsonObject();
            foreach (var pair in QueryString.Parse(query))
            {
                parameters[pair.Key] = VolatileFormats.Default.IsVolatileValue(pair.Value)
                    ? new JsonObject { ["matches"] = ".*" } // a per-call timestamp, UUID or nonce: any value, as the mock's volatile tier
                    : new JsonObject { ["equalTo"] = pair.Value };
            }

            match["queryParameters"] = parameters;
        }

        if (request.Headers.Get("soapaction") is { } soapAction)
        {
            match["headers"] = new JsonObject { ["SOAPAction"] = new JsonObject { ["equalTo"] = soapAction } };
        }

        if (request.Body is { Content.Length: > 0 } body)
        {
            var media = body.MediaType ?? request.Headers.Get("content-type") ?? string.Empty;
            if (body.IsText && media.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) && FormParameters(body.Text) is { } form)
            {
                match["formParameters"] = form;
                return Finish(exchange, match, filesDirectory, number);
            }

            JsonObject pattern = !body.IsText ? new JsonObject { ["binaryEqualTo"] = Convert.ToBase64String(body.Content.Span) }
                : media.Contains("json", StringComparison.OrdinalIgnoreCase) ? new JsonObject { ["equalToJson"] = JsonPattern(body.Text), ["ignoreExtraElements"] = false }
                : media.Contains("xml", StringComparison.OrdinalIgnoreCase) ? new JsonObject { ["equalToXml"] = body.Text }
                : new JsonObject { ["equalTo"] = body.Text };
            match["bodyPatterns"] = new JsonArray(pattern);
        }

        return Finish(exchange, match, filesDirectory, number);
    }

    /// <summary>
    /// A form body as WireMock 3 <c>formParameters</c>, one matcher per field (field order does not matter, as in the
    /// mock; a per-call value such as a nonce <c>matches: .*</c>); null when a name repeats (then the raw text is matched).
    /// </summary>
    private static JsonObject? FormParameters(string text)
    {
        var form = new JsonObject();
        foreach (var pair in QueryString.Parse(text))
        {
            if (form.ContainsKey(pair.Key))
            {
                return null;
            }

            form[pair.Key] = VolatileFormats.Default.IsVolatileValue(pair.Value) ? new JsonObject { ["matches"] = ".*" } : new JsonObject { ["equalTo"] = pair.Value };
        }

        return form.Count > 0 ? form : null;
    }

    private static JsonObject Finish(Exchange exchange, JsonObject match, string filesDirectory, int number)
    {
        var request = exchange.Request;
        var recorded = new RecordedResponse(exchange);
        var output = new JsonObject { ["status"] = recorded.Status };
        var headers = new JsonObject();
        foreach (var header in recorded.Headers)
        {
            if (headers[header.Name] is null)
            {
                headers[header.Name] = header.Value;
            }
        }

        output["headers"] = headers;
        if (recorded.Body.Length > 0)
        {
            if (System.Text.Unicode.Utf8.IsValid(recorded.Body.Span))
            {
                output["body"] = Encoding.UTF8.GetString(recorded.Body.Span);
            }
            else
            {
                Directory.CreateDirectory(filesDirectory);
                var file = $"{number:D5}-{exchange.Id}.bin";
                File.WriteAllBytes(Path.Combine(filesDirectory, file), recorded.Body.ToArray());
                output["bodyFileName"] = file;
            }
        }

        return new JsonObject
        {
            ["id"] = DeterministicGuid(exchange.Id).ToString(),
            ["name"] = $"{request.Method} {UrlParts.PathAndQuery(request.Url)}",
            ["request"] = match,
            ["response"] = output,
            ["metadata"] = new JsonObject { ["reprise.exchange"] = exchange.Id },
        };
    }

    private static Guid DeterministicGuid(string id)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        return new Guid(hash[..16]);
    }

    private static string Slug(Exchange exchange)
    {
        var builder = new StringBuilder(exchange.Request.Method.ToLowerInvariant());
        foreach (var c in UrlParts.Path(exchange.Request.Url))
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
            if (builder.Length > 60)
            {
                break;
            }
        }

        return builder.ToString().TrimEnd('-');
    }
}
