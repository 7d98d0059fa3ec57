using System.Collections.Concurrent;

namespace Reprise.Replay.Correlation;

/// <summary>Counts rule applications across sessions (thread-safe).</summary>
internal sealed class CorrelationStats
{
    private readonly ConcurrentDictionary<(string Name, string From, string Into, bool Manual), StrongBox> _counts = new();

    public void Applied(string name, string from, string into, bool manual) =>
        Interlocked.Increment(ref _counts.GetOrAdd((name, from, into, manual), _ => new StrongBox()).Value);

    public IReadOnlyList<CorrelationRuleReport> Report()
    {
        var list = new List<CorrelationRuleReport>(_counts.Count);
        foreach (var (key, box) in _counts)
        {
            list.Add(new CorrelationRuleReport(key.Name, key.From, key.Into, Interlocked.Read(ref box.Value), key.Manual));
        }

        list.Sort((a, b) => b.Applied != a.Applied ? b.Applied.CompareTo(a.Applied) : string.CompareOrdinal(a.Name + a.ExtractedFrom + a.SubstitutedInto, b.Name + b.ExtractedFrom + b.SubstitutedInto));
        return list;
    }

    private sealed class StrongBox
    {
        public long Value;
    }
}
