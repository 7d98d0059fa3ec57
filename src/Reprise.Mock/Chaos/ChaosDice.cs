namespace Reprise.Mock.Chaos;

/// <summary>
/// Deterministic per-request randomness: request number n under seed s always rolls the same values,
/// so <c>--seed</c> makes a sequential client see the same faults on every run.
/// </summary>
internal static class ChaosDice
{
    /// <summary>The <paramref name="roll"/>-th value in [0,1) for request <paramref name="request"/>.</summary>
    public static double Roll(ulong seed, long request, int roll)
    {
        var x = seed + ((ulong)request * 0x9E3779B97F4A7C15UL) + ((ulong)roll * 0xBF58476D1CE4E5B9UL);
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
