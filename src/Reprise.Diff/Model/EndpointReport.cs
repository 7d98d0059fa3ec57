using Reprise.Diff.Stats;

namespace Reprise.Diff.Model;

/// <summary>The verdict and numbers of one endpoint.</summary>
public sealed record EndpointReport
{
    public required string Name { get; init; }
    public required long Exchanges { get; init; }
    public required long Diffs { get; init; }
    public required long Differences { get; init; }
    public required long StatusChanges { get; init; }

    /// <summary>New errors (the recording had none for that exchange).</summary>
    public required long Errors { get; init; }

    /// <summary>New errors by kind: <c>transport</c>, <c>http-5xx</c>, <c>grpc</c>, <c>graphql</c> (kinds with none are left out).</summary>
    public IReadOnlyDictionary<string, long> ErrorsByKind { get; init; } = new Dictionary<string, long>();

    /// <summary>Errors on the reference side (recording or baseline run).</summary>
    public required long ReferenceErrors { get; init; }

    public required long ReferenceExchanges { get; init; }
    public required double ErrorRate { get; init; }
    public required double ReferenceErrorRate { get; init; }
    public required LatencyComparison Latency { get; init; }
    public required LatencyPlot Plot { get; init; }

    /// <summary>Locations that differed, most frequent first.</summary>
    public required IReadOnlyList<LocationCount> Locations { get; init; }

    /// <summary>The gate evaluated with this endpoint's variables.</summary>
    public required bool Failed { get; init; }

    /// <summary>Why the endpoint's gate failed.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }

    /// <summary>The gate variables of this endpoint.</summary>
    public required IReadOnlyDictionary<string, double> Variables { get; init; }
}
