namespace Reprise.Replay.Engine;

/// <summary>
/// The grouped sessions being tracked, bounded by a capacity. When it is full, idle sessions are
/// evicted least recently used first, and only until a quarter of the capacity is free, so sessions
/// that still have requests to come (and their correlation state) survive. Not thread-safe: the
/// caller locks.
/// </summary>
internal sealed class SessionTable(int capacity)
{
    private readonly Dictionary<(string Key, int Copy, int Loop), ReplaySession> _sessions = [];
    private long _clock;

    public int Count => _sessions.Count;

    /// <summary>The session for (key, copy, loop), created (and counted in <paramref name="created"/>) when new.</summary>
    public ReplaySession GetOrAdd(string key, int copy, int loop, out bool created)
    {
        var id = (key, copy, loop);
        if (_sessions.TryGetValue(id, out var session))
        {
            session.LastUsed = ++_clock;
            created = false;
            return session;
        }

        if (_sessions.Count >= capacity)
        {
            EvictLeastRecentlyUsed();
        }

        session = new ReplaySession(key, copy, grouped: true) { LastUsed = ++_clock };
        _sessions[id] = session;
        created = true;
        return session;
    }

    private void EvictLeastRecentlyUsed()
    {
        // Free a quarter of the capacity at once so eviction (a sort) is amortised over many sessions.
        var target = capacity - Math.Max(1, capacity / 4);
        var idle = new List<((string, int, int) Id, long LastUsed)>();
        foreach (var (id, session) in _sessions)
        {
            lock (session.Gate)
            {
                if (!session.Busy)
                {
                    idle.Add((id, session.LastUsed));
                }
            }
        }

        idle.Sort(static (x, y) => x.LastUsed.CompareTo(y.LastUsed));
        for (var i = 0; i < idle.Count && _sessions.Count > target; i++)
        {
            _sessions.Remove(idle[i].Id);
        }
    }
}
