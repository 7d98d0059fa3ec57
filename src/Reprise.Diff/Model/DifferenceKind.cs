namespace Reprise.Diff.Model;

/// <summary>How a location differs between the recorded and the new response.</summary>
public enum DifferenceKind
{
    /// <summary>Present on both sides with different values.</summary>
    Changed,

    /// <summary>Present only in the new response.</summary>
    Added,

    /// <summary>Present only in the recorded response.</summary>
    Removed,
}
