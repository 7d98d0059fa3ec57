using Reprise.Replay.Correlation;

namespace Reprise.Replay.Engine;

/// <summary>
/// One session copy at run time: requests run one at a time in recorded order (a busy session queues
/// the next request, which the finishing request's task picks up), and correlation state.
/// </summary>
internal sealed class ReplaySession(string key, int copy, bool grouped)
{
    private static readonly Lock Unused = new();
    private Queue<WorkItem>? _pending;

    public string Key { get; } = key;

    public int Copy { get; } = copy;

    public bool Grouped { get; } = grouped;

    /// <summary>Orders a grouped session's requests; an ungrouped one (alone in its session) never takes it, so shares one.</summary>
    public Lock Gate { get; } = grouped ? new Lock() : Unused;

    public bool Busy { get; set; }

    /// <summary>Use stamp for least-recently-used eviction (owned by <see cref="SessionTable"/>).</summary>
    public long LastUsed { get; set; }

    public SessionCorrelation? Correlation { get; set; }

    /// <summary>Under <see cref="Gate"/>: queues an item behind the running one.</summary>
    public void Enqueue(WorkItem item) => (_pending ??= new Queue<WorkItem>()).Enqueue(item);

    /// <summary>Under <see cref="Gate"/>: the next queued item, if any.</summary>
    public bool TryDequeue(out WorkItem item)
    {
        if (_pending is { Count: > 0 } queue)
        {
            item = queue.Dequeue();
            return true;
        }

        item = default;
        return false;
    }
}
