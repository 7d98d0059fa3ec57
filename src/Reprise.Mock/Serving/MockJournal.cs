using System.Collections.Concurrent;

namespace Reprise.Mock.Serving;

/// <summary>Bounded logs of served requests and misses (the control endpoint and the miss report read them).</summary>
public sealed class MockJournal
{
    private const int MaxServed = 1000;
    private const int MaxMisses = 10_000;
    private readonly ConcurrentQueue<ServedRequest> _served = new();
    private readonly ConcurrentQueue<ServedRequest> _misses = new();
    private long _missCount;
    private long _servedCount;

    /// <summary>Total misses since start.</summary>
    public long MissCount => Interlocked.Read(ref _missCount);

    /// <summary>Total requests answered from the recording.</summary>
    public long ServedCount => Interlocked.Read(ref _servedCount);

    public void Add(ServedRequest request)
    {
        Interlocked.Increment(ref _servedCount);
        _served.Enqueue(request);
        while (_served.Count > MaxServed && _served.TryDequeue(out _))
        {
        }
    }

    public void AddMiss(ServedRequest request)
    {
        Interlocked.Increment(ref _missCount);
        _misses.Enqueue(request);
        while (_misses.Count > MaxMisses && _misses.TryDequeue(out _))
        {
        }

        _served.Enqueue(request);
        while (_served.Count > MaxServed && _served.TryDequeue(out _))
        {
        }
    }

    /// <summary>The latest served requests and misses, oldest first.</summary>
    public IReadOnlyList<ServedRequest> Recent() => [.. _served];

    /// <summary>The retained misses, oldest first.</summary>
    public IReadOnlyList<ServedRequest> Misses() => [.. _misses];
}
