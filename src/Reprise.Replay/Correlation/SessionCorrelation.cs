namespace Reprise.Replay.Correlation;

/// <summary>
/// What one session (copy) learned from its new responses: recorded value → new value, and manual
/// rule values. A session runs one request at a time, so this needs no locking.
/// </summary>
internal sealed class SessionCorrelation
{
    /// <summary>Upper bound on learned values per session (a runaway session must not grow without limit).</summary>
    public const int MaxValues = 2048;

    public Dictionary<string, LearnedValue> Values { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Manual { get; } = new(StringComparer.Ordinal);

    public HashSet<string> NewValues { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Values.Count == 0 && Manual.Count == 0;

    public void Learn(string recorded, string replayed, string rule, string from)
    {
        if (recorded.Length == 0 || string.Equals(recorded, replayed, StringComparison.Ordinal) || Values.Count >= MaxValues)
        {
            return;
        }

        Values[recorded] = new LearnedValue(replayed, rule, from);
        NewValues.Add(replayed);
    }
}

/// <summary>A value captured from a new response, and the rule that captured it.</summary>
internal readonly record struct LearnedValue(string Value, string Rule, string From);
