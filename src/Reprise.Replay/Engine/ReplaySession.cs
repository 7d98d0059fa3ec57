using Reprise.Replay.Correlation;

namespace Reprise.Replay.Engine;

/// <summary>
/// One session copy at run time: requests run in recorded order, one at a time unless the recording shows them
/// overlapping (a busy session queues the next request, which the finishing request's task picks up), and correlation
/// state (read and written under <see cref="Gate"/>, since overlapping requests complete on their own threads).
/// </summary>
internal sealed class ReplaySession(string key, int copy, bool grouped)
{
    private static readonly Lock Unused = new();

    /// <summary>
    /// How far inside a running request's recorded end a later start must be to count as overlapping it: at least 5 ms, or
    /// a tenth of its duration. Recorded ends are stamped after the response was written (and HAR timings are rounded to
    /// whole milliseconds), so a read sent right after its create's response can appear to start a little before that end.
    /// </summary>
    private static readonly long MinOverlapTicks = TimeSpan.FromMilliseconds(5).Ticks;
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

    /// <summary>
    /// Under <see cref="Gate"/>: for each request of this session now running, the latest recorded start (UTC ticks) of a
    /// request that may run alongside it: its recorded end less a margin. Requests the recording shows clearly overlapping
    /// (a long poll answered only after the next request arrived) run at once; see <see cref="MayOverlap"/>.
    /// </summary>
    private List<long>? _running;

    /// <summary>Under <see cref="Gate"/>: how many of this session's requests are running.</summary>
    public int Running => _running?.Count ?? (Busy ? 1 : 0);

    /// <summary>
    /// Under <see cref="Gate"/>: true when <paramref name="item"/> may start while this session's running requests are in
    /// flight: nothing is queued ahead of it, and in the recording it started before each of them had completed (so it
    /// could not have waited for, or used, any of their responses).
    /// </summary>
    public bool MayOverlap(in WorkItem item) => _pending is not { Count: > 0 } && StartedBeforeRunningEnded(item);

    /// <summary>Under <see cref="Gate"/>: <paramref name="item"/> started running.</summary>
    public void Started(in WorkItem item)
    {
        Busy = true;
        (_running ??= new List<long>(2)).Add(EndOf(item));
    }

    /// <summary>Under <see cref="Gate"/>: <paramref name="item"/> finished; the session stays busy while others run.</summary>
    public void Finished(in WorkItem item)
    {
        _running?.Remove(EndOf(item));
        Busy = _running is { Count: > 0 };
    }

    /// <summary>
    /// Under <see cref="Gate"/>: the next queued item when it may start now (nothing runs, or <paramref name="overlap"/>
    /// and it overlapped everything running in the recording); it is then counted as running.
    /// </summary>
    public bool TryStartNext(bool overlap, out WorkItem item)
    {
        if (_pending is { Count: > 0 } queue && (Running == 0 || (overlap && StartedBeforeRunningEnded(queue.Peek()))))
        {
            item = queue.Dequeue();
            Started(item);
            return true;
        }

        item = default;
        return false;
    }

    private bool StartedBeforeRunningEnded(in WorkItem item)
    {
        if (_running is null)
        {
            return false;
        }

        var start = item.Template.Recorded.StartedAt.UtcTicks;
        foreach (var end in _running)
        {
            if (start >= end)
            {
                return false;
            }
        }

        return true;
    }

    private static long EndOf(in WorkItem item)
    {
        var duration = Math.Max(0, item.Template.Recorded.Duration.Ticks);
        return item.Template.Recorded.StartedAt.UtcTicks + duration - Math.Max(MinOverlapTicks, duration / 10);
    }

    /// <summary>Under <see cref="Gate"/>: queues an item behind the running one.</summary>
    public void Enqueue(WorkItem item) => (_pending ??= new Queue<WorkItem>()).Enqueue(item);
}
