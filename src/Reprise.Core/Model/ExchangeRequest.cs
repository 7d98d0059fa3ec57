using System.Collections.Immutable;

namespace Reprise.Core.Model;

/// <summary>The request half of an exchange.</summary>
public sealed record ExchangeRequest
{
    /// <summary>The HTTP method, as sent.</summary>
    public required string Method { get; init; }

    /// <summary>The absolute URL, exactly as recorded (not normalised).</summary>
    public required string Url { get; init; }

    /// <summary>The protocol version string, e.g. <c>HTTP/1.1</c> or <c>HTTP/2</c>.</summary>
    public string Version { get; init; } = "HTTP/1.1";

    /// <summary>Headers in wire order, repeated names kept.</summary>
    public ImmutableArray<HeaderField> Headers { get; init; } = [];

    /// <summary>The body, or null when the request had none.</summary>
    public ExchangeBody? Body { get; init; }
}
