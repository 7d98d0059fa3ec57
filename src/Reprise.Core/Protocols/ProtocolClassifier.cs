using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Reprise.Core.Model;

namespace Reprise.Core.Protocols;

/// <summary>
/// Decides an exchange's application protocol from what is on the wire, and names the operation
/// (GraphQL operation, SOAP action, gRPC method) as tags, so filters, mocks and diffs can group by it.
/// </summary>
public static partial class ProtocolClassifier
{
    /// <summary>Tag holding the GraphQL operation name.</summary>
    public const string GraphQLOperationTag = "graphql.operation";

    /// <summary>Tag holding the GraphQL operation type (query, mutation, subscription).</summary>
    public const string GraphQLTypeTag = "graphql.type";

    /// <summary>Tag holding the SOAP action.</summary>
    public const string SoapActionTag = "soap.action";

    /// <summary>Tag holding the gRPC method path (<c>/package.Service/Method</c>).</summary>
    public const string GrpcMethodTag = "grpc.method";

    /// <summary>The transport protocol implied by an HTTP version string ("HTTP/2", "h2", "http/2.0"...).</summary>
    public static Protocol FromVersion(string? version)
    {
        var v = version?.Trim().ToLowerInvariant() ?? string.Empty;
        return v switch
        {
            "h2" or "h2c" or "http/2" or "http/2.0" => Protocol.Http2,
            "h3" or "http/3" or "http/3.0" => Protocol.Http3,
            _ => Protocol.Http1,
        };
    }

    /// <summary>Classifies a request (and response when known); returns the protocol and tags to add.</summary>
    public static (Protocol Protocol, ImmutableSortedDictionary<string, string> Tags) Classify(
        ExchangeRequest request, ExchangeResponse? response, ImmutableSortedDictionary<string, string> tags)
    {
        var contentType = request.Headers.Get("content-type") ?? request.Body?.MediaType ?? string.Empty;
        if (contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            return (Protocol.Grpc, tags.SetItem(GrpcMethodTag, UrlParts.Path(request.Url).ToString()));
        }

        if (IsWebSocketSession(request, response))
        {
            return (Protocol.WebSocket, tags);
        }

        var soapAction = SoapAction(request, contentType);
        if (soapAction is not null)
        {
            return (Protocol.Soap, soapAction.Length > 0 ? tags.SetItem(SoapActionTag, soapAction) : tags);
        }

        if (TryGraphQL(request, contentType, out var operation, out var type))
        {
            if (operation is not null)
            {
                tags = tags.SetItem(GraphQLOperationTag, operation);
            }

            return (Protocol.GraphQL, tags.SetItem(GraphQLTypeTag, type));
        }

        return (FromVersion(request.Version), tags);
    }

    /// <summary>
    /// True when an <c>Upgrade</c> header value (a comma-separated list of <c>name[/version]</c>,
    /// RFC 9110 §7.8) names <paramref name="protocol"/>, compared case-insensitively by name and, when
    /// <paramref name="protocol"/> has one, version.
    /// </summary>
    public static bool UpgradeNames(string? upgrade, string protocol)
    {
        if (string.IsNullOrEmpty(upgrade))
        {
            return false;
        }

        var wanted = protocol.AsSpan().Trim();
        var nameOnly = !wanted.Contains('/');
        var rest = upgrade.AsSpan();
        foreach (var range in rest.Split(','))
        {
            var token = rest[range].Trim();
            if (nameOnly && token.IndexOf('/') is var slash && slash >= 0)
            {
                token = token[..slash];
            }

            if (token.Equals(wanted, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True for a WebSocket session: the request asked for <c>Upgrade: websocket</c> and the server
    /// switched with a 101 (whose <c>Upgrade</c>, when recorded, names websocket too). Any other upgrade
    /// (<c>h2c</c>, <c>SPDY/3.1</c>, ...) or a refused handshake is not one.
    /// </summary>
    public static bool IsWebSocketSession(ExchangeRequest request, ExchangeResponse? response)
    {
        ArgumentNullException.ThrowIfNull(request);
        return response is { Status: 101 }
            && UpgradeNames(request.Headers.Get("upgrade"), "websocket")
            && (response.Headers.Get("upgrade") is not { } switchedTo || UpgradeNames(switchedTo, "websocket"));
    }

    /// <summary>Classifies an exchange and returns it with protocol and tags set.</summary>
    public static Exchange Classify(Exchange exchange)
    {
        var (protocol, tags) = Classify(exchange.Request, exchange.Response, exchange.Tags);
        return exchange with { Protocol = protocol, Tags = tags };
    }

    private static string? SoapAction(ExchangeRequest request, string contentType)
    {
        var header = request.Headers.Get("soapaction");
        if (header is not null)
        {
            return header.Trim().Trim('"');
        }

        if (contentType.StartsWith("application/soap+xml", StringComparison.OrdinalIgnoreCase))
        {
            var match = SoapActionParameter().Match(contentType);
            return match.Success ? match.Groups[1].Value : string.Empty;
        }

        if (contentType.Contains("xml", StringComparison.OrdinalIgnoreCase) && request.Body is { } body)
        {
            var head = body.Content.Span[..Math.Min(body.Content.Length, 512)];
            if (head.IndexOf("Envelope"u8) >= 0 && head.IndexOf("soap"u8) >= 0)
            {
                return string.Empty;
            }
        }

        return null;
    }

    private static bool TryGraphQL(ExchangeRequest request, string contentType, out string? operation, out string type)
    {
        operation = null;
        type = "query";
        string? query = null;
        if (contentType.StartsWith("application/graphql", StringComparison.OrdinalIgnoreCase) && request.Body is { } raw)
        {
            query = raw.Text;
        }
        else if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase) && request.Body is { Content.Length: > 0 } body)
        {
            try
            {
                using var doc = JsonDocument.Parse(body.Content);
                var root = doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.GetArrayLength() > 0
                    ? doc.RootElement[0] // batched operations: name the first
                    : doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("query", out var q) || q.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                query = q.GetString();
                if (root.TryGetProperty("operationName", out var name) && name.ValueKind == JsonValueKind.String)
                {
                    operation = name.GetString();
                }
            }
            catch (JsonException)
            {
                return false;
            }
        }
        else if (request.Method == "GET" && UrlParts.Path(request.Url).Contains("graphql", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (key, value) in QueryString.Parse(UrlParts.Query(request.Url)))
            {
                if (key == "query") { query = value; }
                else if (key == "operationName") { operation = value; }
            }
        }

        if (string.IsNullOrWhiteSpace(query))
        {
            return false;
        }

        var match = OperationHeader().Match(query);
        if (match.Success)
        {
            type = match.Groups[1].Value;
            operation ??= match.Groups[2].Success && match.Groups[2].Length > 0 ? match.Groups[2].Value : null;
        }
        else if (!query.TrimStart().StartsWith('{'))
        {
            return false;
        }

        return true;
    }

    [GeneratedRegex(@"action\s*=\s*""?([^"";]+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex SoapActionParameter();

    [GeneratedRegex(@"^\s*(?:#[^\n]*\n\s*)*(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?")]
    private static partial Regex OperationHeader();
}
