namespace Reprise.Replay.Http;

/// <summary>How a response body is delimited (RFC 9112 §6.3).</summary>
internal enum BodyFraming
{
    /// <summary>No body: HEAD, 204, 304 or 1xx.</summary>
    None,

    /// <summary>Exactly Content-Length bytes.</summary>
    Length,

    /// <summary>Transfer-Encoding: chunked, optionally followed by trailers.</summary>
    Chunked,

    /// <summary>Neither: the body ends when the server closes the connection.</summary>
    UntilClose,
}
