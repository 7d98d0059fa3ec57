using System.Collections.Immutable;

namespace Reprise.Core.Model;

/// <summary>The response half of an exchange.</summary>
public sealed record ExchangeResponse
{
    /// <summary>The status code.</summary>
    public required int Status { get; init; }

    /// <summary>The reason phrase, when the wire carried one.</summary>
    public string? Reason { get; init; }

    /// <summary>The protocol version string, e.g. <c>HTTP/1.1</c>.</summary>
    public string Version { get; init; } = "HTTP/1.1";

    /// <summary>Headers in wire order, repeated names kept.</summary>
    public ImmutableArray<HeaderField> Headers { get; init; } = [];

    /// <summary>The body, or null when the response had none.</summary>
    public ExchangeBody? Body { get; init; }

    /// <summary>Trailing headers (gRPC status lives here).</summary>
    public ImmutableArray<HeaderField> Trailers { get; init; } = [];
}
