namespace Reprise.Replay;

/// <summary>Shard <see cref="Index"/> (1-based) of <see cref="Count"/>: written <c>2/8</c>.</summary>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>Parses <c>i/n</c> with 1 &lt;= i &lt;= n.</summary>
    public static ShardSpec? TryParse(string text, out string? error)
    {
        error = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && int.TryParse(text.AsSpan(0, slash), out var i) && int.TryParse(text.AsSpan(slash + 1), out var n) && n >= 1 && i >= 1 && i <= n)
        {
            return new ShardSpec(i, n);
        }

        error = $"'{text}' is not a shard (expected i/n with 1 <= i <= n, e.g. 2/8)";
        return null;
    }

    /// <summary>True when the session with this stable hash belongs to this shard.</summary>
    public bool Owns(ulong sessionHash) => (int)(sessionHash % (ulong)Count) == Index - 1;

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";
}
