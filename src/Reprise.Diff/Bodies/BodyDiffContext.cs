namespace Reprise.Diff.Bodies;

/// <summary>Per-endpoint settings a body comparer needs.</summary>
/// <param name="IgnoreArrayOrder">Match array elements by key (or by content) instead of by index.</param>
/// <param name="ArrayKeys">Explicit keys: JSON array path (indexes as <c>[*]</c>) to the member that identifies an element.</param>
public sealed record BodyDiffContext(bool IgnoreArrayOrder, IReadOnlyDictionary<string, string> ArrayKeys)
{
    /// <summary>Index-wise arrays, no keys.</summary>
    public static readonly BodyDiffContext Default = new(false, new Dictionary<string, string>());

    /// <summary>The most differences one body reports before it stops (a changed array can produce thousands).</summary>
    public int MaxDifferences { get; init; } = 200;

    /// <summary>
    /// The ids replay correlated for this exchange (recorded → new): a keyed array element whose key differs only by
    /// them (a GraphQL error naming a created id, an element keyed by that id) is the same element.
    /// </summary>
    public IReadOnlyList<(string Recorded, string Replayed)> Correlated { get; init; } = [];
}
