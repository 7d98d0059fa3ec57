using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Policy;

namespace Reprise.Redaction.Engine;

/// <summary>
/// The resource a request names, used as the inferred parent of values at the top of its bodies: the first
/// root field of a GraphQL document (<c>createUser</c>), else the URL path's resource segment (<c>/users/1</c>
/// → <c>users</c>). SOAP needs none: its operation element is the enclosing field.
/// </summary>
internal static class RequestResource
{
    /// <summary>
    /// The resource as a cached field name, or null when the request names none. Never throws: it runs before any
    /// redaction, so a body or URL it cannot read means "no resource", never a dropped exchange.
    /// </summary>
    public static FieldName? Of(ExchangeRequest request, RedactionModel model)
    {
        try
        {
            if (request.Body is { Content.Length: > 8 } body && GraphQlRootField(body.Content.Span) is { Length: > 0 } field)
            {
                return model.FieldNameOf(field);
            }

            var resource = PersonContext.ResourceOfPath(UrlParts.Path(request.Url));
            return resource.IsEmpty ? null : model.FieldNameOf(resource);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            // An unreadable body or URL names no resource; the rest of the redaction still runs on it.
            return null;
        }
    }

    private static string? GraphQlRootField(ReadOnlySpan<byte> json)
    {
        // Cheap gate first: only a JSON object with a "query" member can be a GraphQL-over-HTTP request.
        var trimmed = json.TrimStart(" \t\r\n\uFEFF"u8);
        if (trimmed.Length == 0 || trimmed[0] is not ((byte)'{' or (byte)'[') || json.IndexOf("\"query\""u8) < 0)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(trimmed, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var depth = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        depth++;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        depth--;
                        break;
                    case JsonTokenType.PropertyName when reader.ValueTextEquals("query"u8) && (depth == 1 || (depth == 2 && trimmed[0] == '[')):
                        if (reader.Read() && reader.TokenType == JsonTokenType.String)
                        {
                            var root = PersonContext.RootFieldOfGraphQl(JsonStrings.Read(ref reader));
                            return root.IsEmpty ? null : root.ToString();
                        }

                        return null;
                    case JsonTokenType.PropertyName:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: no GraphQL document.
        }
        catch (InvalidOperationException)
        {
            // GetString on a string that is not valid UTF-8 or holds a lone surrogate escape: no readable document.
        }

        return null;
    }
}
