using Reprise.Core.Analysis;

namespace Reprise.Replay.Results;

/// <summary>Latency and outcome counts of one endpoint (thread-safe; merged exactly across shards).</summary>
public sealed class EndpointStats
{
    private readonly Lock _lock = new();
    private readonly LatencyHistogram _latency = new();
    private readonly long[] _statusClasses = new long[6];
    private long _errors;

    public EndpointStats(EndpointKey endpoint) => Endpoint = endpoint;

    /// <summary>The endpoint.</summary>
    public EndpointKey Endpoint { get; }

    /// <summary>Requests completed (with a response or an error).</summary>
    public long Count { get { lock (_lock) { return _latency.Count; } } }

    /// <summary>Requests that got no response.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Responses by status class: index 1 = 1xx ... 5 = 5xx (0 = other).</summary>
    public long StatusClass(int hundreds) => Interlocked.Read(ref _statusClasses[hundreds is >= 1 and <= 5 ? hundreds : 0]);

    /// <summary>Records one outcome: a status (or null on error) and its latency.</summary>
    public void Record(int? status, TimeSpan latency)
    {
        if (status is { } s)
        {
            var c = s / 100;
            Interlocked.Increment(ref _statusClasses[c is >= 1 and <= 5 ? c : 0]);
        }
        else
        {
            Interlocked.Increment(ref _errors);
        }

        lock (_lock)
        {
            _latency.Record(latency);
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
        lock (_lock)
        {
            _latency.Add(latency);
        }

        Interlocked.Add(ref _errors, other.Errors);
        for (var i = 0; i < _statusClasses.Length; i++)
        {
            Interlocked.Add(ref _statusClasses[i], other.StatusClass(i));
        }
    }
}
