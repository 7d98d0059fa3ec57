namespace Reprise.Mock.Matching;

/// <summary>Which tier produced a match (reported in /_reprise/mock/requests).</summary>
public enum MatchTier
{
    /// <summary>No match.</summary>
    None,

    /// <summary>Exact key.</summary>
    Exact,

    /// <summary>Key with volatile fields ignored.</summary>
    Volatile,

    /// <summary>Nearest candidate above the threshold.</summary>
    Nearest,
}
