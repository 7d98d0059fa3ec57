namespace Reprise.Mock.Serving;

/// <summary>One request the mock answered (or missed), as listed by <c>/_reprise/mock/requests</c>.</summary>
public sealed record ServedRequest
{
    public required long Number { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string Method { get; init; }

    public required string Url { get; init; }

    /// <summary>The HTTP status answered (a gRPC call's is 200 even when it failed: see <see cref="GrpcStatus"/>).</summary>
    public required int Status { get; init; }

    /// <summary>
    /// For a gRPC call, the <c>grpc-status</c> answered (a miss: 12, UNIMPLEMENTED); null for other requests and for a
    /// stream served without one (held open as recorded). Not written when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? GrpcStatus { get; init; }

    /// <summary>exact, volatile, nearest or none.</summary>
    public required string Match { get; init; }

    /// <summary>The recorded exchange served, if any.</summary>
    public string? ServedFrom { get; init; }

    /// <summary>The chaos action applied (error, reset, timeout, rate-limit), if any.</summary>
    public string? Chaos { get; init; }

    /// <summary>For misses: the nearest recorded requests and what differed.</summary>
    public IReadOnlyList<MissCandidate>? Nearest { get; init; }
}

/// <summary>A near candidate in a miss report.</summary>
public sealed record MissCandidate(string Id, string Request, double Score, IReadOnlyList<string> Differences);
