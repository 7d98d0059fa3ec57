namespace Reprise.Replay.Correlation;

/// <summary>
/// The cookies one session's new responses set, keyed as RFC 6265 keys a browser's jar: by name, domain and path (5.3),
/// each holding the recorded value it stands for and the value the new build gave. A request's recorded <c>Cookie</c>
/// header gets, for each cookie it names, the entry in scope for the recorded request's host and path (5.4: domain- and
/// path-match), longer paths first and, among equal paths, the one set first, as a browser orders them. A session runs
/// one request at a time, so this needs no locking.
/// </summary>
internal sealed class CookieJar
{
    private readonly Dictionary<string, List<CookieEntry>> _byName = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>How many cookies the jar holds.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Learns what a response did to one cookie. An unchanged value removes the entry: substituting it would change nothing,
    /// and a mapping the jar held for that cookie (that name, domain and path, no other) is stale now.
    /// </summary>
    /// <returns>False when the jar is full and the cookie is new to it.</returns>
    public bool Learn(string name, CookieScope scope, string recorded, LearnedValue value, int capacity)
    {
        _byName.TryGetValue(name, out var entries);
        var index = entries?.FindIndex(e => e.Scope == scope) ?? -1;
        if (string.Equals(recorded, value.Value, StringComparison.Ordinal))
        {
            if (index >= 0)
            {
                entries!.RemoveAt(index);
                Count--;
                if (entries.Count == 0)
                {
                    _byName.Remove(name);
                }
            }

            return true;
        }

        if (index >= 0)
        {
            // RFC 6265 5.3 step 11: a cookie replaced keeps its creation time, and so its place among equal paths.
            entries![index] = entries[index] with { Recorded = recorded, New = value, LearnedAt = _sequence++ };
            return true;
        }

        if (Count >= capacity)
        {
            return false;
        }

        if (entries is null)
        {
            entries = [];
            _byName[name] = entries;
        }

        entries.Add(new CookieEntry(scope, recorded, value, _sequence, _sequence));
        _sequence++;
        Count++;
        return true;
    }

    /// <summary>
    /// The latest new value of a cookie whose name <paramref name="named"/> accepts and whose recorded value is a mask of
    /// <paramref name="length"/> characters (a deleted one is none): the cookie a double-submit header repeats.
    /// </summary>
    public LearnedValue? LatestMasked(Func<string, bool> named, int length)
    {
        CookieEntry? latest = null;
        foreach (var (name, entries) in _byName)
        {
            if (!named(name))
            {
                continue;
            }

            foreach (var entry in entries)
            {
                if (entry.Recorded.Length == length && entry.Recorded.AsSpan().IndexOfAnyExcept('*') < 0
                    && !ReferenceEquals(entry.New.Value, SessionCorrelation.DeletedCookie) && (latest is null || entry.LearnedAt > latest.Value.LearnedAt))
                {
                    latest = entry;
                }
            }
        }

        return latest?.New;
    }

    /// <summary>The entry of that name, in any scope (tests and diagnostics): the one set last.</summary>
    public CookieEntry? Latest(string name) =>
        _byName.TryGetValue(name, out var entries) ? entries.MaxBy(e => e.LearnedAt) : null;

    /// <summary>
    /// The entry that stands for the <paramref name="current"/> value of cookie <paramref name="name"/> in a request
    /// recorded for <paramref name="host"/> and <paramref name="path"/>: the first in RFC 6265 order, among those in scope
    /// and not <paramref name="used"/> by an earlier cookie of the header, whose recorded value is the one sent (or that
    /// the recording never set). With none of that name in scope, the latest of that name stands for it, as in a jar keyed
    /// by name: the recording shows the client held a cookie of that name there, which the scope read from the recording
    /// does not explain (a cookie of another host, a path the request does not start with); one not used by an earlier
    /// occurrence of the name in the header.
    /// </summary>
    public CookieEntry? Find(string name, string host, string path, string current, List<long>? used)
    {
        if (!_byName.TryGetValue(name, out var entries))
        {
            return null;
        }

        CookieEntry? best = null;
        var inScope = false;
        foreach (var entry in entries)
        {
            if (!entry.Scope.Matches(host, path))
            {
                continue;
            }

            inScope = true;
            if ((used?.Contains(entry.Sequence) ?? false) || !Stands(entry, current))
            {
                continue;
            }

            if (best is not { } b || entry.Scope.Path.Length > b.Scope.Path.Length || (entry.Scope.Path.Length == b.Scope.Path.Length && entry.Sequence < b.Sequence))
            {
                best = entry;
            }
        }

        if (inScope)
        {
            return best;
        }

        foreach (var entry in entries)
        {
            if (!(used?.Contains(entry.Sequence) ?? false) && Stands(entry, current) && (best is not { } b || entry.LearnedAt > b.LearnedAt))
            {
                best = entry;
            }
        }

        return best;
    }

    private static bool Stands(CookieEntry entry, string current) =>
        string.Equals(entry.Recorded, current, StringComparison.Ordinal) || ReferenceEquals(entry.Recorded, SessionCorrelation.UnrecordedCookie);
}

/// <summary>One cookie in a <see cref="CookieJar"/>: its scope, the recorded value, the new one, when it was first set (its place among equal paths) and when last learned.</summary>
internal readonly record struct CookieEntry(CookieScope Scope, string Recorded, LearnedValue New, long Sequence, long LearnedAt);
