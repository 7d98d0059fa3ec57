namespace Reprise.Core.Analysis;

/// <summary>What <c>reprise inspect</c> reports about a recording.</summary>
public sealed record InspectReport
{
    public required long Exchanges { get; init; }
    public DateTimeOffset? First { get; init; }
    public DateTimeOffset? Last { get; init; }
    public TimeSpan Span => First is { } f && Last is { } l ? l - f : TimeSpan.Zero;
    public required IReadOnlyList<CountRow> Services { get; init; }
    public required IReadOnlyList<CountRow> Methods { get; init; }
    public required IReadOnlyList<CountRow> StatusClasses { get; init; }
    public required IReadOnlyList<CountRow> Directions { get; init; }
    public required IReadOnlyList<CountRow> Protocols { get; init; }
    public required IReadOnlyList<EndpointRow> Endpoints { get; init; }
    public long RequestBodyBytes { get; init; }
    public long ResponseBodyBytes { get; init; }
    public long Traces { get; init; }
    public long TracesWithDependencyCalls { get; init; }
    public long Redacted { get; init; }

    /// <summary>WebSocket messages recorded (all sessions, both directions, control frames included).</summary>
    public long WebSocketMessages { get; init; }

    /// <summary>Of <see cref="WebSocketMessages"/>, those the client sent.</summary>
    public long WebSocketMessagesFromClient { get; init; }

    /// <summary>Endpoints beyond the cap were counted under one "(other)" row.</summary>
    public bool EndpointsCapped { get; init; }
}

/// <summary>A label and how many exchanges carry it.</summary>
public sealed record CountRow(string Name, long Count);

/// <summary>Per-endpoint counts, latency percentiles (ms) and body bytes.</summary>
public sealed record EndpointRow(
    string Service,
    string Method,
    string Template,
    string? Operation,
    string Direction,
    long Count,
    long Errors,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    long RequestBytes,
    long ResponseBytes,
    IReadOnlyList<CountRow> Statuses);
