namespace Reprise.Diff.Model;

/// <summary>The result of a comparison: the verdict, per-endpoint numbers, noise, and diff samples.</summary>
public sealed record DiffReport
{
    /// <summary>Rendered bodies longer than this (characters) are cut in samples.</summary>
    public const int BodyCap = 32 * 1024;

    public required string Recorded { get; init; }
    public required string Results { get; init; }
    public string? Baseline { get; init; }

    /// <summary><c>recording</c> or <c>baseline</c>: what latency and error rates are compared against.</summary>
    public required string LatencyReference { get; init; }

    public required string Gate { get; init; }
    public required bool Failed { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
    public required IReadOnlyDictionary<string, double> Variables { get; init; }
    public required IReadOnlyList<EndpointReport> Endpoints { get; init; }

    /// <summary>New errors over all endpoints by kind: <c>transport</c>, <c>http-5xx</c>, <c>grpc</c>, <c>graphql</c> (kinds with none are left out).</summary>
    public IReadOnlyDictionary<string, long> ErrorsByKind { get; init; } = new Dictionary<string, long>();
    public required IReadOnlyList<NoiseEntry> Noise { get; init; }
    public required IReadOnlyList<DiffSample> Samples { get; init; }

    /// <summary>Exchanges with differences that were not kept as samples (over the cap).</summary>
    public required long SamplesOmitted { get; init; }

    /// <summary>Inbound recorded exchanges no result replays (not compared).</summary>
    public required long NotReplayed { get; init; }

    /// <summary>Latency settings: alpha, floor.</summary>
    public required double Alpha { get; init; }
    public required double FloorMs { get; init; }

    /// <summary>Per-exchange rows for the HTML table (only when requested; not serialised to --json).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<ExchangeRow> Rows { get; init; } = [];
}
