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
    /// <summary>
    /// True when an exchange is GraphQL over HTTP: classified or tagged <c>graphql.*</c>, its URL path names
    /// <c>graphql</c>, or its JSON request body's top-level <c>query</c> string is a GraphQL document (a search
    /// API's <c>{"query":"blue shoes"}</c> is not).
    /// </summary>
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

        if (UrlParts.Path(exchange.Request.Url).Contains("graphql", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return exchange.Request.Body is { Content.Length: > 0 } body && LooksLikeDocument(TopLevelString(body.Content.Span, "query"u8));
    }

    /// <summary>
    /// True when <paramref name="query"/> starts (after whitespace, commas and <c>#</c> comments) with a selection
    /// set or an operation/fragment keyword, and has a selection set.
    /// </summary>
    internal static bool LooksLikeDocument(string? query)
    {
        if (query is null)
        {
            return false;
        }

        var text = query.AsSpan();
        while (true)
        {
            text = text.TrimStart(" \t\r\n,\uFEFF");
            if (text.Length == 0 || text[0] != '#')
            {
                break;
            }

            var end = text.IndexOfAny('\n', '\r');
            text = end < 0 ? [] : text[end..];
        }

        if (text.Length == 0)
        {
            return false;
        }

        if (text[0] == '{')
        {
            return true;
        }

        foreach (var keyword in (ReadOnlySpan<string>)["query", "mutation", "subscription", "fragment"])
        {
            if (text.StartsWith(keyword, StringComparison.Ordinal)
                && (text.Length == keyword.Length || !(char.IsAsciiLetterOrDigit(text[keyword.Length]) || text[keyword.Length] == '_')))
            {
                return text.Contains('{');
            }
        }

        return false;
    }

    private static string? TopLevelString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        if (TopLevelMember(json, name, out var reader) != JsonTokenType.String)
        {
            return null;
        }

        return Json.LoneSurrogates.GetStringOrNull(ref reader);
    }

    /// <summary>True when a 2xx response body is a JSON object with a non-empty top-level <c>errors</c> array.</summary>
    public static bool HasErrors(int status, ReadOnlySpan<byte> json) =>
        status is >= 200 and < 300 && TopLevelMember(json, "errors"u8, out _, nonEmptyArray: true) == JsonTokenType.StartArray;

    private static JsonTokenType TopLevelMember(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name, out Utf8JsonReader reader, bool nonEmptyArray = false)
    {
        reader = default;
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
            reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
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
