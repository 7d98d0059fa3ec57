using Reprise.Core.Model;
using Reprise.Core.Protocols;

namespace Reprise.Diff.Engine;

/// <summary>
/// What counts as a failed exchange, by kind: <c>transport</c> (no response), <c>http-5xx</c>,
/// <c>grpc</c> (status UNKNOWN, DEADLINE_EXCEEDED, INTERNAL, UNAVAILABLE, DATA_LOSS) and <c>graphql</c>:
/// a 2xx GraphQL-over-HTTP response whose body has a non-empty top-level <c>errors</c> array
/// (https://graphql.github.io/graphql-over-http/draft/#sec-application-json). Only GraphQL exchanges
/// (classified or tagged <c>graphql.*</c>, or a request body with a <c>query</c> string) are read for
/// <c>errors</c>: a REST body's own <c>errors</c> field is data.
/// </summary>
internal static class ErrorClass
{
    public const string Transport = "transport";
    public const string Server = "http-5xx";
    public const string Grpc = "grpc";
    public const string GraphQl = "graphql";

    /// <summary>Every kind, in report order.</summary>
    public static readonly string[] Kinds = [Transport, Server, Grpc, GraphQl];

    /// <summary>The kind of failure, or null when the exchange succeeded.</summary>
    public static string? Of(ExchangeResponse? response, ExchangeError? error, bool graphQl)
    {
        if (error is not null || response is null)
        {
            return Transport;
        }

        if (response.Status >= 500)
        {
            return Server;
        }

        var grpc = response.Trailers.Get("grpc-status") ?? response.Headers.Get("grpc-status");
        if (grpc is "2" or "4" or "13" or "14" or "15")
        {
            return Grpc;
        }

        return graphQl && response.Status is >= 200 and < 300 && HasTopLevelErrors(response) ? GraphQl : null;
    }

    /// <summary>True when an exchange is GraphQL over HTTP (see <see cref="GraphQlErrors.IsGraphQl"/>).</summary>
    public static bool IsGraphQl(Exchange exchange) => GraphQlErrors.IsGraphQl(exchange);

    private static bool HasTopLevelErrors(ExchangeResponse response)
    {
        if (response.Body is not { Content.Length: > 0 } body)
        {
            return false;
        }

        var content = body.Content;
        if (response.Headers.Get("content-encoding") is { Length: > 0 } encoding && !body.Truncated
            && ContentDecoding.TryDecode(content.ToArray(), encoding, out var decoded, out _) == ContentDecoding.Outcome.Decoded)
        {
            content = decoded;
        }

        return GraphQlErrors.HasErrors(response.Status, content.Span);
    }
}
