using Reprise.Core.Transforms;

namespace Reprise.Capture.Recording;

/// <summary>What is stored of the traffic that passes (everything is always forwarded).</summary>
public sealed record CaptureOptions
{
    /// <summary>Most bytes of each request and response body stored (the rest is forwarded, counted and flagged truncated).</summary>
    public long MaxBody { get; init; } = 1024 * 1024;

    /// <summary>Record only paths matching one of these globs (empty: all).</summary>
    public IReadOnlyList<PathGlob> IncludePaths { get; init; } = [];

    /// <summary>Never record paths matching these globs.</summary>
    public IReadOnlyList<PathGlob> ExcludePaths { get; init; } = [];

    /// <summary>Fraction of traces recorded (whole traces: a request and its dependency calls together).</summary>
    public double SampleRate { get; init; } = 1;

    /// <summary>Seed of the sampling hash.</summary>
    public ulong SampleSeed { get; init; }

    /// <summary>The service name recorded on inbound exchanges (outbound ones carry the dependency's host).</summary>
    public string? Service { get; init; }
}
