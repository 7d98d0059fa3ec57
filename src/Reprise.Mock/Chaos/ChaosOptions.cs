namespace Reprise.Mock.Chaos;

/// <summary>Chaos settings as the user wrote them (flags or a route's <c>chaos:</c> block); null = inherit.</summary>
public sealed record ChaosOptions
{
    /// <summary><c>recorded</c>, <c>none</c> or <c>fixed:50ms</c>.</summary>
    public string? Latency { get; init; }

    /// <summary>Probability (0..1) of answering with <see cref="ErrorStatus"/> instead of the recording.</summary>
    public double? ErrorRate { get; init; }

    /// <summary>The status of injected errors (default 503).</summary>
    public int? ErrorStatus { get; init; }

    /// <summary>Probability of aborting the connection (reset).</summary>
    public double? ResetRate { get; init; }

    /// <summary>Probability of holding the request until the client gives up (or the timeout cap).</summary>
    public double? TimeoutRate { get; init; }

    /// <summary>E.g. <c>100/s</c>, <c>600/m</c>: above it, 429 with Retry-After.</summary>
    public string? RateLimit { get; init; }
}
