namespace Reprise.Core.Text;

/// <summary>
/// A stable 64-bit string hash (FNV-1a with a splitmix64 finaliser): the same on every process and
/// machine (unlike <see cref="string.GetHashCode()"/>), so sampling and sharding decisions agree
/// across shards and runs.
/// </summary>
public static class StableHash
{
    /// <summary>Hashes <paramref name="key"/> with an optional seed.</summary>
    public static ulong Of(string key, ulong seed = 0)
    {
        var hash = 14695981039346656037UL ^ seed;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        return hash ^ (hash >> 31);
    }
}
