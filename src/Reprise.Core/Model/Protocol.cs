namespace Reprise.Core.Model;

/// <summary>The application protocol an exchange was carried on.</summary>
public enum Protocol
{
    /// <summary>HTTP/1.0 or HTTP/1.1.</summary>
    Http1,

    /// <summary>HTTP/2.</summary>
    Http2,

    /// <summary>HTTP/3.</summary>
    Http3,

    /// <summary>gRPC over HTTP/2.</summary>
    Grpc,

    /// <summary>GraphQL over HTTP.</summary>
    GraphQL,

    /// <summary>SOAP over HTTP.</summary>
    Soap,

    /// <summary>A WebSocket session (upgrade plus messages).</summary>
    WebSocket,
}
