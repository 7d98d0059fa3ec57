using System.Collections.Concurrent;

namespace Reprise.Mock.Matching;

/// <summary>
/// All recorded exchanges that share one key, in recorded order, with the cursor that hands them out
/// in sequence. With a traceparent whose trace was recorded, only that trace's exchanges are used,
/// with their own cursor.
/// </summary>
internal sealed class Route
{
    private readonly MockEntry[] _entries;
    private readonly Dictionary<string, MockEntry[]> _byTrace;
    private readonly ConcurrentDictionary<string, StrongBox> _traceCursors = new(StringComparer.Ordinal);
    private int _cursor = -1;

    public Route(List<MockEntry> entries)
    {
        entries.Sort(static (a, b) => a.Order.CompareTo(b.Order));
        _entries = [.. entries];
        _byTrace = new Dictionary<string, MockEntry[]>(StringComparer.Ordinal);
        var groups = new Dictionary<string, List<MockEntry>>(StringComparer.Ordinal);
        foreach (var entry in _entries)
        {
            if (entry.Exchange.TraceId is { } trace)
            {
                if (!groups.TryGetValue(trace, out var list))
                {
                    groups[trace] = list = [];
                }

                list.Add(entry);
            }
        }

        foreach (var (trace, list) in groups)
        {
            _byTrace[trace] = [.. list];
        }
    }

    public IReadOnlyList<MockEntry> Entries => _entries;

    /// <summary>The next entry in sequence, or null when the policy is <see cref="ReusePolicy.Once"/> and all were served.</summary>
    public MockEntry? Next(string? traceId, ReusePolicy reuse)
    {
        if (traceId is not null && _byTrace.TryGetValue(traceId, out var traced))
        {
            var box = _traceCursors.GetOrAdd(traceId, static _ => new StrongBox());
            return Pick(traced, Interlocked.Increment(ref box.Value), reuse);
        }

        return Pick(_entries, Interlocked.Increment(ref _cursor), reuse);
    }

    /// <summary>The entry <see cref="Next"/> would hand out, without advancing any cursor.</summary>
    public MockEntry? Peek(string? traceId, ReusePolicy reuse)
    {
        if (traceId is not null && _byTrace.TryGetValue(traceId, out var traced))
        {
            return Pick(traced, _traceCursors.TryGetValue(traceId, out var box) ? Volatile.Read(ref box.Value) + 1 : 0, reuse);
        }

        return Pick(_entries, Volatile.Read(ref _cursor) + 1, reuse);
    }

    /// <summary>Rewinds every cursor (used by tests and reloads).</summary>
    public void Reset()
    {
        _cursor = -1;
        _traceCursors.Clear();
    }

    private static MockEntry? Pick(MockEntry[] entries, int index, ReusePolicy reuse)
    {
        if (index < entries.Length)
        {
            return entries[index];
        }

        return reuse switch
        {
            ReusePolicy.RepeatLast => entries[^1],
            ReusePolicy.Cycle => entries[index % entries.Length],
            _ => null,
        };
    }

    private sealed class StrongBox
    {
        public int Value = -1;
    }
}
