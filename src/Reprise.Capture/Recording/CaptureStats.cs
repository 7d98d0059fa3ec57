using Reprise.Core.Analysis;

namespace Reprise.Capture.Recording;

/// <summary>Live counters for the status line; safe for concurrent producers.</summary>
public sealed class CaptureStats
{
    private readonly Lock _lock = new();
    private LatencyHistogram _interval = new();
    private long _exchanges;
    private long _bytes;
    private long _errors;
    private long _skipped;
    private long _dropped;

    /// <summary>Exchanges handed to the sink.</summary>
    public long Exchanges => Interlocked.Read(ref _exchanges);

    /// <summary>Body bytes seen (requests and responses, before the cap).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Exchanges that ended in an error (upstream down, timeout, reset); not those the client ended (canceled).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Requests forwarded but not recorded (path filters, sampling).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Exchanges not written because redaction failed on them (never written unredacted).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void AddExchange(long bodyBytes, bool error)
    {
        Interlocked.Increment(ref _exchanges);
        Interlocked.Add(ref _bytes, bodyBytes);
        if (error)
        {
            Interlocked.Increment(ref _errors);
        }
    }

    internal void AddSkipped() => Interlocked.Increment(ref _skipped);

    internal void AddDropped() => Interlocked.Increment(ref _dropped);

    /// <summary>Notes the latency the proxy added to one exchange (its time minus the upstream's).</summary>
    public void AddLatency(TimeSpan added)
    {
        lock (_lock)
        {
            _interval.Record(added < TimeSpan.Zero ? TimeSpan.Zero : added);
        }
    }

    /// <summary>The added-latency histogram since the previous call (and starts a new interval).</summary>
    public LatencyHistogram TakeInterval()
    {
        lock (_lock)
        {
            var taken = _interval;
            _interval = new LatencyHistogram();
            return taken;
        }
    }
}
