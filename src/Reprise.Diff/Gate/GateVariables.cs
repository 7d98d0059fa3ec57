using System.Collections.Frozen;

namespace Reprise.Diff.Gate;

/// <summary>The variables a gate expression can use (for the whole run, or for one endpoint in JUnit).</summary>
public static class GateVariables
{
    /// <summary>The default gate.</summary>
    public const string DefaultGate = "diffs > 0 || p95_regression > 10% || error_rate > 0.1%";

    /// <summary>Every variable with its meaning (help text and docs/diff.md).</summary>
    public static readonly FrozenDictionary<string, string> Documented = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["diffs"] = "replayed exchanges with at least one functional difference (after noise)",
        ["differences"] = "individual differences (locations) over all exchanges",
        ["status_changes"] = "replayed exchanges whose status code changed",
        ["exchanges"] = "replayed exchanges compared",
        ["unpaired"] = "results whose replay.of id is not in the recording",
        ["errors"] = "new errors: transport failure, 5xx, gRPC status INTERNAL/UNAVAILABLE/UNKNOWN, or GraphQL errors on a 2xx, where the recording had none",
        ["graphql_errors"] = "new GraphQL errors: a 2xx GraphQL response with a non-empty top-level errors array where the recording had no error (included in errors)",
        ["error_rate"] = "errors / exchanges (a fraction: write 0.1% or 0.001)",
        ["p50_regression"] = "largest significant relative p50 increase over endpoints (0 when not significant)",
        ["p95_regression"] = "largest significant relative p95 increase over endpoints (bootstrap 95% CI above 0 and at least the latency floor)",
        ["p99_regression"] = "largest relative p99 increase on endpoints whose p95 regression is significant",
        ["noise"] = "differences ignored as noise",
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
