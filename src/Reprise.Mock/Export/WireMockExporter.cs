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
/// requests become a WireMock scenario so they answer in recorded order, then repeat the last. A request holding
/// values shaped like per-call values gets a second, lower-priority mapping with placeholders for them.
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
                var response = Response(exchange, files, count);
                foreach (var loose in (bool[])[false, true])
                {
                    // The exact mapping always; the placeholder one only where a value was shaped like a per-call value.
                    if (Mapping(exchange, response, loose) is not { } mapping)
                    {
                        continue;
                    }

                    if (scenario is not null)
                    {
                        mapping["scenarioName"] = scenario;
                        mapping["requiredScenarioState"] = i == 0 ? "Started" : $"step-{i}";
                        if (i + 1 < list.Count)
                        {
                            mapping["newScenarioState"] = $"step-{i + 1}";
                        }
                    }

                    var name = $"{count:D5}-{Slug(exchange)}{(loose ? "-any" : string.Empty)}.json";
                    await File.WriteAllTextAsync(Path.Combine(mappings, name), mapping.ToJsonString(Indented), cancellationToken).ConfigureAwait(false);
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>
    /// The recorded JSON body as the placeholder mapping's <c>equalToJson</c> pattern: values shaped like per-call values
    /// (timestamps, UUIDs, nonces, epoch numbers) become WireMock's JSON placeholders (<c>${json-unit.any-string}</c>,
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

    /// <summary>Priority of the mapping holding the recorded values (WireMock tries lower numbers first).</summary>
    internal const int ExactPriority = 5;

    /// <summary>Priority of the mapping with per-call values as placeholders: only asked when no exact mapping matched.</summary>
    internal const int PlaceholderPriority = 10;

    /// <summary>
    /// The mapping of one exchange: with <paramref name="loose"/> false, the recorded values (<c>equalTo</c>,
    /// <c>equalToJson</c>) at <see cref="ExactPriority"/>; with it true, values shaped like per-call values (timestamps,
    /// UUIDs, nonces, epoch numbers) as placeholders at <see cref="PlaceholderPriority"/>, or null when there is none.
    /// Shape alone cannot tell a per-call value from one that selects the answer (an order id is a UUID too), so the
    /// placeholder mapping is only a fallback: a replayed request with the recorded values gets its own answer, not the
    /// answer of another recorded request that differs only in such a value.
    /// </summary>
    private static JsonObject? Mapping(Exchange exchange, JsonObject response, bool loose)
    {
        var request = exchange.Request;
        var placeholders = false;
        var match = new JsonObject { ["method"] = request.Method.ToUpperInvariant(), ["urlPath"] = UrlParts.Path(request.Url).ToString() };
        var query = UrlParts.Query(request.Url);
        if (!query.IsEmpty)
        {
            var parameters = new JsonObject();
            foreach (var pair in QueryString.Parse(query))
            {
                parameters[pair.Key] = Field(pair.Value, loose, ref placeholders);
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
            if (body.IsText && media.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) && FormParameters(body.Text, loose, ref placeholders) is { } form)
            {
                match["formParameters"] = form.Fields;
                match["bodyPatterns"] = new JsonArray(new JsonObject { ["matches"] = FieldCount(form.Count) });
            }
            else
            {
                var json = body.IsText && media.Contains("json", StringComparison.OrdinalIgnoreCase);
                string? pattern = json && loose ? JsonPattern(body.Text) : null;
                placeholders |= pattern is not null && !string.Equals(pattern, body.Text, StringComparison.Ordinal);
                match["bodyPatterns"] = new JsonArray(
                    !body.IsText ? new JsonObject { ["binaryEqualTo"] = Convert.ToBase64String(body.Content.Span) }
                    : json ? new JsonObject { ["equalToJson"] = pattern ?? body.Text, ["ignoreExtraElements"] = false }
                    : media.Contains("xml", StringComparison.OrdinalIgnoreCase) ? new JsonObject { ["equalToXml"] = body.Text }
                    : new JsonObject { ["equalTo"] = body.Text });
            }
        }

        if (loose && !placeholders)
        {
            return null; // the exact mapping already says everything
        }

        return new JsonObject
        {
            ["id"] = DeterministicGuid(loose ? exchange.Id + "\nplaceholders" : exchange.Id).ToString(),
            ["name"] = $"{request.Method} {UrlParts.PathAndQuery(request.Url)}{(loose ? " (any per-call values)" : string.Empty)}",
            ["priority"] = loose ? PlaceholderPriority : ExactPriority,
            ["request"] = match,
            ["response"] = response.DeepClone(),
            ["metadata"] = new JsonObject { ["reprise.exchange"] = exchange.Id },
        };
    }

    private static JsonObject Field(string value, bool loose, ref bool placeholders)
    {
        if (loose && VolatileFormats.Default.IsVolatileValue(value))
        {
            placeholders = true;
            return new JsonObject { ["matches"] = ".*" }; // a per-call timestamp, UUID or nonce: any value, as the mock's volatile tier
        }

        return new JsonObject { ["equalTo"] = value };
    }

    /// <summary>
    /// A form body as WireMock 3 <c>formParameters</c>, one matcher per field (field order does not matter, as in the
    /// mock); null when a name repeats (then the raw text is matched). WireMock ignores fields a mapping does not name,
    /// so the mapping also counts the fields (<see cref="FieldCount"/>): a request with an extra field is not this one.
    /// </summary>
    private static (JsonObject Fields, int Count)? FormParameters(string text, bool loose, ref bool placeholders)
    {
        var form = new JsonObject();
        var any = false;
        foreach (var pair in QueryString.Parse(text))
        {
            if (form.ContainsKey(pair.Key))
            {
                return null;
            }

            form[pair.Key] = Field(pair.Value, loose, ref any);
        }

        if (form.Count == 0)
        {
            return null;
        }

        placeholders |= any;
        return (form, form.Count);
    }

    /// <summary>A regular expression matching a form body of exactly <paramref name="count"/> <c>&amp;</c>-separated fields.</summary>
    internal static string FieldCount(int count) => count == 1 ? "^&*[^&]+&*$" : $"^&*[^&]+(?:&+[^&]+){{{count - 1}}}&*$"; // empty segments (a&&b, a trailing &) are no fields

    private static JsonObject Response(Exchange exchange, string filesDirectory, int number)
    {
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

        return output;
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
