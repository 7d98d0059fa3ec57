namespace Reprise.Mock.Serving;

/// <summary>
/// Bounded logs of served requests and misses (the control endpoint and the miss report read them).
/// The served log is a lock-free ring (one slot write per request, no queue bookkeeping on the hot path).
/// </summary>
public sealed class MockJournal
{
    private const int MaxServed = 1024;
    private const int MaxMisses = 10_000;
    private readonly ServedRequest?[] _ring = new ServedRequest?[MaxServed];
    private readonly Lock _missLock = new();
    private readonly Queue<ServedRequest> _misses = new();
    private long _written;
    private long _missCount;
    private long _servedCount;

    /// <summary>Total misses since start.</summary>
    public long MissCount => Interlocked.Read(ref _missCount);

    /// <summary>Total requests answered from the recording.</summary>
    public long ServedCount => Interlocked.Read(ref _servedCount);

    public void Add(ServedRequest request)
    {
        Interlocked.Increment(ref _servedCount);
        Write(request);
    }

    public void AddMiss(ServedRequest request)
    {
        Interlocked.Increment(ref _missCount);
        lock (_missLock)
        {
            _misses.Enqueue(request);
            if (_misses.Count > MaxMisses)
            {
                _misses.Dequeue();
            }
        }

        Write(request);
    }

    /// <summary>The latest served requests and misses (up to 1 024), oldest first.</summary>
    public IReadOnlyList<ServedRequest> Recent()
    {
        var end = Interlocked.Read(ref _written);
        var start = Math.Max(0, end - MaxServed);
        var list = new List<ServedRequest>((int)(end - start));
        for (var i = start; i < end; i++)
        {
            if (Volatile.Read(ref _ring[i % MaxServed]) is { } entry)
            {
                list.Add(entry);
            }
        }

        list.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        return list;
    }

    /// <summary>The retained misses (up to 10 000), oldest first.</summary>
    public IReadOnlyList<ServedRequest> Misses()
    {
        lock (_missLock)
        {
            return [.. _misses];
        }
    }

    private void Write(ServedRequest request)
    {
        var slot = Interlocked.Increment(ref _written) - 1;
        Volatile.Write(ref _ring[slot % MaxServed], request);
    }
}
