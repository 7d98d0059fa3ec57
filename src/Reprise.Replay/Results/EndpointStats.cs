using Reprise.Core.Analysis;

namespace Reprise.Replay.Results;

/// <summary>Latency and outcome counts of one endpoint (thread-safe; merged exactly across shards).</summary>
public sealed class EndpointStats
{
    // One lock guards the histogram and the counters: a request takes it once and does plain increments,
    // instead of the lock plus interlocked operations on counters shared by every core.
    private readonly Lock _lock = new();
    private readonly LatencyHistogram _latency = new();
    private readonly long[] _statusClasses = new long[6];
    private long _errors;
    private long _graphQlErrors;

    public EndpointStats(EndpointKey endpoint) => Endpoint = endpoint;

    /// <summary>The endpoint.</summary>
    public EndpointKey Endpoint { get; }

    /// <summary>Requests completed (with a response or an error).</summary>
    public long Count { get { lock (_lock) { return _latency.Count; } } }

    /// <summary>Requests that got no response.</summary>
    public long Errors { get { lock (_lock) { return _errors; } } }

    /// <summary>Responses (2xx) whose GraphQL body reported errors (a subset of the responses, not of <see cref="Errors"/>).</summary>
    public long GraphQlErrors { get { lock (_lock) { return _graphQlErrors; } } }

    /// <summary>Counts one GraphQL response that reported errors.</summary>
    public void RecordGraphQlError()
    {
        lock (_lock)
        {
            _graphQlErrors++;
        }
    }

    /// <summary>Responses by status class: index 1 = 1xx ... 5 = 5xx (0 = other).</summary>
    public long StatusClass(int hundreds)
    {
        lock (_lock)
        {
            return _statusClasses[hundreds is >= 1 and <= 5 ? hundreds : 0];
        }
    }

    /// <summary>Records one outcome: a status (or null on error) and its latency.</summary>
    public void Record(int? status, TimeSpan latency)
    {
        lock (_lock)
        {
            if (status is { } s)
            {
                var c = s / 100;
                _statusClasses[c is >= 1 and <= 5 ? c : 0]++;
            }
            else
            {
                _errors++;
            }

            _latency.Record(latency);
        }
    }

    /// <summary>Adds this endpoint's completed count and status classes to running totals (one lock).</summary>
    internal long AddTotals(long[] statusClasses)
    {
        lock (_lock)
        {
            for (var i = 0; i < _statusClasses.Length; i++)
            {
                statusClasses[i] += _statusClasses[i];
            }

            return _latency.Count;
        }
    }

    /// <summary>A copy of the latency histogram (for reporting and merging).</summary>
    public LatencyHistogram Latency()
    {
        var copy = new LatencyHistogram();
        lock (_lock)
        {
            copy.Add(_latency);
        }

        return copy;
    }

    /// <summary>Adds another endpoint's counts (exact).</summary>
    public void Add(EndpointStats other)
    {
        var latency = other.Latency();
        var errors = other.Errors;
        var graphQlErrors = other.GraphQlErrors;
        var status = new long[_statusClasses.Length];
        for (var i = 0; i < status.Length; i++)
        {
            status[i] = other.StatusClass(i);
        }

        lock (_lock)
        {
            _latency.Add(latency);
            _errors += errors;
            _graphQlErrors += graphQlErrors;
            for (var i = 0; i < status.Length; i++)
            {
                _statusClasses[i] += status[i];
            }
        }
    }
}
