namespace Reprise.Replay.Correlation;

/// <summary>
/// What one session (copy) learned from its new responses: recorded value → new value, redacted
/// credentials, cookies by name, and manual rule values. A session runs one request at a time, so
/// this needs no locking.
/// </summary>
/// <remarks>
/// The latest pairing wins, also an unchanged one: when a response pairs recorded <c>5</c> with new
/// <c>5</c>, an earlier <c>5 → 1</c> is forgotten, because <c>5</c> now names the record this response
/// produced. Within one response a changed pairing beats an unchanged one for the same recorded value
/// (<c>{"id":41,"ownerId":41}</c> answered as <c>{"id":1001,"ownerId":41}</c> keeps <c>41 → 1001</c>).
/// </remarks>
internal sealed class SessionCorrelation
{
    /// <summary>Upper bound on learned values per session (a runaway session must not grow without limit).</summary>
    public const int MaxValues = 2048;

    private readonly Dictionary<string, LearnedValue> _pending = new(StringComparer.Ordinal);

    /// <summary>Recorded value → new value, substituted wherever the recorded value appears as a whole token.</summary>
    public Dictionary<string, LearnedValue> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Redacted credentials (a masked or tokenized token the recording holds in place of the real one) →
    /// the new value; substituted only as a whole header value or an Authorization credential, never in
    /// paths or bodies, where a mask could stand for anything.
    /// </summary>
    public Dictionary<string, LearnedValue> Credentials { get; } = new(StringComparer.Ordinal);

    /// <summary>Cookie name → (recorded value, new value): a later request's cookie of that name carrying the recorded value gets the new one.</summary>
    public Dictionary<string, (string Recorded, LearnedValue New)> Cookies { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Manual { get; } = new(StringComparer.Ordinal);

    public HashSet<string> NewValues { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Values.Count == 0 && Credentials.Count == 0 && Cookies.Count == 0 && Manual.Count == 0;

    /// <summary>Notes a pairing from the response being learned; <see cref="Commit"/> applies the response's pairings.</summary>
    public void Learn(string recorded, string replayed, string rule, string from)
    {
        if (recorded.Length == 0)
        {
            return;
        }

        if (_pending.TryGetValue(recorded, out var earlier) && !string.Equals(recorded, earlier.Value, StringComparison.Ordinal)
            && string.Equals(recorded, replayed, StringComparison.Ordinal))
        {
            return; // a changed pairing in the same response is the better evidence
        }

        _pending[recorded] = new LearnedValue(replayed, rule, from);
    }

    /// <summary>Applies the pairings of the response just learned (latest wins; an unchanged pairing forgets the recorded value).</summary>
    public void Commit()
    {
        foreach (var (recorded, learned) in _pending)
        {
            if (string.Equals(recorded, learned.Value, StringComparison.Ordinal))
            {
                Values.Remove(recorded);
            }
            else if (Values.Count < MaxValues || Values.ContainsKey(recorded))
            {
                Values[recorded] = learned;
                NewValues.Add(learned.Value);
            }
        }

        _pending.Clear();
    }

    /// <summary>Learns a redacted credential (see <see cref="Credentials"/>); the latest wins.</summary>
    public void LearnCredential(string recorded, string replayed, string rule, string from)
    {
        if (recorded.Length == 0 || (Credentials.Count >= MaxValues && !Credentials.ContainsKey(recorded)))
        {
            return;
        }

        Credentials[recorded] = new LearnedValue(replayed, rule, from);
        NewValues.Add(replayed);
    }

    /// <summary>Learns a cookie the response set (by name, like a browser's cookie jar).</summary>
    public void LearnCookie(string name, string recorded, string replayed, string rule, string from)
    {
        if (Cookies.Count >= MaxValues && !Cookies.ContainsKey(name))
        {
            return;
        }

        Cookies[name] = (recorded, new LearnedValue(replayed, rule, from));
        NewValues.Add(replayed);
    }
}

/// <summary>A value captured from a new response, and the rule that captured it.</summary>
internal readonly record struct LearnedValue(string Value, string Rule, string From);
