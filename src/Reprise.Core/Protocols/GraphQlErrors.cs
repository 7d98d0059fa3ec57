using System.Text.Json;
using Reprise.Core.Model;

namespace Reprise.Core.Protocols;

/// <summary>
/// GraphQL over HTTP reports failures in the body: a response whose top-level <c>errors</c> array is not
/// empty (https://graphql.github.io/graphql-over-http/draft/#sec-application-json), usually with HTTP 200.
/// Only GraphQL exchanges are read this way: a REST body's own <c>errors</c> field is data.
/// </summary>
public static class GraphQlErrors
{
    /// <summary>True when an exchange is GraphQL over HTTP: classified or tagged <c>graphql.*</c>, or its JSON request body has a <c>query</c> string.</summary>
    public static bool IsGraphQl(Exchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (exchange.Protocol == Protocol.GraphQL)
        {
            return true;
        }

        foreach (var (name, _) in exchange.Tags)
        {
            if (name.StartsWith("graphql.", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return exchange.Request.Body is { Content.Length: > 0 } body && TopLevelMember(body.Content.Span, "query"u8) == JsonTokenType.String;
    }

    /// <summary>True when a 2xx response body is a JSON object with a non-empty top-level <c>errors</c> array.</summary>
    public static bool HasErrors(int status, ReadOnlySpan<byte> json) =>
        status is >= 200 and < 300 && TopLevelMember(json, "errors"u8, nonEmptyArray: true) == JsonTokenType.StartArray;

    private static JsonTokenType TopLevelMember(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name, bool nonEmptyArray = false)
    {
        // Cheap gate: most bodies do not name the member at all.
        Span<byte> quoted = stackalloc byte[name.Length + 2];
        quoted[0] = (byte)'"';
        name.CopyTo(quoted[1..]);
        quoted[^1] = (byte)'"';
        if (json.IndexOf(quoted) < 0)
        {
            return JsonTokenType.None;
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return JsonTokenType.None;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                reader.Read();
                if (match)
                {
                    var type = reader.TokenType;
                    return !nonEmptyArray || (type == JsonTokenType.StartArray && reader.Read() && reader.TokenType != JsonTokenType.EndArray) ? type : JsonTokenType.None;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON, or cut off before the member: nothing found.
        }

        return JsonTokenType.None;
    }
}
