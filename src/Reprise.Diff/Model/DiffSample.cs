namespace Reprise.Diff.Model;

/// <summary>
/// One exchange with differences, kept for the side-by-side viewer: the located differences and both
/// bodies rendered readably (capped at <see cref="DiffReport.BodyCap"/> characters each).
/// </summary>
public sealed record DiffSample
{
    public required string ResultId { get; init; }
    public required string RecordedId { get; init; }
    public required string Endpoint { get; init; }
    public required string Method { get; init; }
    public required string Url { get; init; }
    public required string ExpectedStatus { get; init; }
    public required string ActualStatus { get; init; }
    public required IReadOnlyList<Difference> Differences { get; init; }
    public required string ExpectedBody { get; init; }
    public required string ActualBody { get; init; }

    /// <summary>True when a body was cut at the cap.</summary>
    public required bool BodiesTruncated { get; init; }
}
