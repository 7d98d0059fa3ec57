using Reprise.Core.Model;
using Reprise.Core.Protocols;

namespace Reprise.Diff.Engine;

/// <summary>
/// What counts as a failed exchange, by kind: <c>transport</c> (no response), <c>http-5xx</c>,
/// <c>grpc</c> (status UNKNOWN, DEADLINE_EXCEEDED, INTERNAL, UNAVAILABLE, DATA_LOSS) and <c>graphql</c>:
/// a 2xx GraphQL-over-HTTP response whose body has a non-empty top-level <c>errors</c> array
/// (https://graphql.github.io/graphql-over-http/draft/#sec-application-json). Only GraphQL exchanges
/// (classified or tagged <c>graphql.*</c>, or a request body with a <c>query</c> string) are read for
/// <c>errors</c>: a REST body's own <c>errors</c> field is data. <c>soap-fault</c>: a 2xx response whose SOAP 1.1
/// or 1.2 envelope carries a <c>Fault</c> in its Body (node-soap and others answer faults with 200).
/// </summary>
internal static class ErrorClass
{
    public const string Transport = "transport";
    public const string Server = "http-5xx";
    public const string Grpc = "grpc";
    public const string GraphQl = "graphql";
    public const string SoapFault = "soap-fault";

    /// <summary>Every kind, in report order.</summary>
    public static readonly string[] Kinds = [Transport, Server, Grpc, GraphQl, SoapFault];

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

        if (response.Status is < 200 or >= 300)
        {
            return null;
        }

        return graphQl && HasTopLevelErrors(response) ? GraphQl
            : HasSoapFault(response) ? SoapFault
            : null;
    }

    private static readonly string[] SoapEnvelopes = ["http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope"];

    /// <summary>True when the body is a SOAP envelope whose Body holds a Fault.</summary>
    private static bool HasSoapFault(ExchangeResponse response)
    {
        if (response.Body is not { Content.Length: > 0, Truncated: false } body || body.Content.Span.IndexOf("Fault"u8) < 0
            || response.Headers.Get("content-encoding") is { Length: > 0 })
        {
            return false;
        }

        try
        {
            using var stream = new MemoryStream(body.Content.ToArray(), writable: false);
            using var reader = System.Xml.XmlReader.Create(stream, new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true });
            if (reader.MoveToContent() != System.Xml.XmlNodeType.Element || reader.LocalName != "Envelope")
            {
                return false;
            }

            var ns = reader.NamespaceURI;
            if (Array.IndexOf(SoapEnvelopes, ns) < 0 || !reader.ReadToDescendant("Body", ns))
            {
                return false;
            }

            // The first element inside Body.
            while (reader.Read())
            {
                if (reader.NodeType == System.Xml.XmlNodeType.Element)
                {
                    return reader.LocalName == "Fault" && reader.NamespaceURI == ns;
                }

                if (reader.NodeType == System.Xml.XmlNodeType.EndElement)
                {
                    return false;
                }
            }
        }
        catch (System.Xml.XmlException)
        {
            // not XML: not a SOAP fault
        }

        return false;
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
