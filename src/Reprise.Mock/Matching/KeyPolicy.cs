namespace Reprise.Mock.Matching;

/// <summary>The loosest match tier allowed (tiers are tried in this order).</summary>
public enum KeyPolicy
{
    /// <summary>Method, host, path, normalised query and canonical body must all be equal.</summary>
    Exact,

    /// <summary>Also try with volatile fields (configured, learned, or timestamp/UUID/nonce-shaped) ignored.</summary>
    Volatile,

    /// <summary>Also fall back to the most similar recorded request above the similarity threshold (default).</summary>
    Nearest,
}
