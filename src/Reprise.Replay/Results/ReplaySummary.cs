using Reprise.Core.Analysis;
using Reprise.Core.Model;
using Reprise.Replay.Correlation;

namespace Reprise.Replay.Results;

/// <summary>What a replay (or a merge of shard results) did: counts, errors by kind, latency per endpoint, correlation rules.</summary>
public sealed record ReplaySummary
{
    /// <summary>The run id (<c>replay.run</c>).</summary>
    public required string RunId { get; init; }

    /// <summary>Wall-clock time the run took.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Requests sent (responses + errors).</summary>
    public required long Sent { get; init; }

    /// <summary>Requests that got a response (any status).</summary>
    public required long Responses { get; init; }

    /// <summary>Requests that got no response, by kind.</summary>
    public required IReadOnlyDictionary<ExchangeErrorKind, long> ErrorsByKind { get; init; }

    /// <summary>2xx GraphQL responses whose body had a non-empty top-level <c>errors</c> array (counted among <see cref="Responses"/>).</summary>
    public long GraphQlErrors { get; init; }

    /// <summary>Responses by status class: [1] = 1xx ... [5] = 5xx, [0] = other.</summary>
    public required IReadOnlyList<long> StatusClasses { get; init; }

    /// <summary>Per-endpoint latency and outcomes, busiest first.</summary>
    public required IReadOnlyList<EndpointStats> Endpoints { get; init; }

    /// <summary>Correlation rules found or given, with how often each was applied.</summary>
    public IReadOnlyList<CorrelationRuleReport> Correlation { get; init; } = [];

    /// <summary>Recorded exchanges skipped because they were outbound.</summary>
    public long SkippedOutbound { get; init; }

    /// <summary>Recorded requests not sent because their body was truncated at record time (<c>body.truncated</c>).</summary>
    public long SkippedTruncated { get; init; }

    /// <summary>Recorded WebSocket sessions not replayed (a prior-knowledge HTTP/2 target, <c>--h2c</c>, has no upgrade to open them with).</summary>
    public long SkippedWebSocket { get; init; }

    /// <summary>Sessions replayed (counting each copy).</summary>
    public long Sessions { get; init; }

    /// <summary>The time shift applied to request timestamps.</summary>
    public TimeSpan TimeShift { get; init; }

    /// <summary>Requests that failed (no response).</summary>
    public long Errors
    {
        get
        {
            long total = 0;
            foreach (var (_, count) in ErrorsByKind)
            {
                total += count;
            }

            return total;
        }
    }

    /// <summary>Requests per second over the run.</summary>
    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Sent / Elapsed.TotalSeconds : 0;

    /// <summary>All endpoints' latencies merged (exact).</summary>
    public LatencyHistogram Overall()
    {
        var all = new LatencyHistogram();
        foreach (var endpoint in Endpoints)
        {
            all.Add(endpoint.Latency());
        }

        return all;
    }
}
