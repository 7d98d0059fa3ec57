namespace Reprise.Capture.Recording;

/// <summary>
/// Lets one warning per key through per window and counts the rest, so an upstream that is down does not print a
/// line for every request: a gRPC client retrying against a dead upstream sent 100 requests in four seconds, and
/// record printed 100 identical "upstream failed" lines (QA round 7). The next warning after the window says how many
/// were left out. Keys are bounded (the set is cleared past <see cref="MaxKeys"/>).
/// </summary>
internal sealed class RepeatedWarnings(TimeProvider time, TimeSpan window)
{
    private const int MaxKeys = 256;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long LoggedAt, int Suppressed)> _seen = new(StringComparer.Ordinal);

    /// <summary>True when a warning for <paramref name="key"/> is to be written; <paramref name="suppressed"/> is how many were left out before it.</summary>
    public bool ShouldLog(string key, out int suppressed)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            var known = _seen.TryGetValue(key, out var entry);
            if (known && time.GetElapsedTime(entry.LoggedAt, now) < window)
            {
                _seen[key] = (entry.LoggedAt, entry.Suppressed + 1);
                suppressed = 0;
                return false;
            }

            if (!known && _seen.Count >= MaxKeys)
            {
                _seen.Clear();
            }

            suppressed = known ? entry.Suppressed : 0;
            _seen[key] = (now, 0);
            return true;
        }
    }
}
