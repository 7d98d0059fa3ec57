namespace Reprise.Diff.Stats;

/// <summary>
/// Latency of one endpoint: reference (the recording or the baseline run) against the candidate.
/// A p95 change counts as a regression only when the bootstrap CI of the p95 difference lies above
/// zero and the difference is at least the latency floor; otherwise <see cref="P95Regression"/> is 0.
/// </summary>
public sealed record LatencyComparison
{
    public required long ReferenceCount { get; init; }
    public required long CandidateCount { get; init; }
    public required double ReferenceP50 { get; init; }
    public required double ReferenceP95 { get; init; }
    public required double ReferenceP99 { get; init; }
    public required double CandidateP50 { get; init; }
    public required double CandidateP95 { get; init; }
    public required double CandidateP99 { get; init; }

    /// <summary>One-sided Mann-Whitney p-value for "the candidate is slower".</summary>
    public required double PValue { get; init; }

    /// <summary>Rank-biserial effect size (Cliff's delta), −1..+1; positive = candidate slower.</summary>
    public required double Effect { get; init; }

    /// <summary>95% bootstrap CI of p95(candidate) − p95(reference), ms.</summary>
    public required double P95DeltaLow { get; init; }

    /// <summary>Upper bound of the CI.</summary>
    public required double P95DeltaHigh { get; init; }

    /// <summary>Relative p95 increase (0.1 = +10%) when significant, else 0.</summary>
    public required double P95Regression { get; init; }

    /// <summary>Relative p50 increase when significant (Mann-Whitney p below alpha and above the floor), else 0.</summary>
    public required double P50Regression { get; init; }

    /// <summary>Relative p99 increase when p95 is significant, else 0 (p99 alone is too noisy to test on small samples).</summary>
    public required double P99Regression { get; init; }

    /// <summary>True when <see cref="P95Regression"/> is above zero.</summary>
    public bool Significant => P95Regression > 0;
}
