namespace Reprise.Diff.Model;

/// <summary>How often one location differed on an endpoint, with a first example.</summary>
/// <param name="Location">The location (indexes generalised to <c>[*]</c>).</param>
/// <param name="Kind">The kind of the first occurrence.</param>
/// <param name="Count">Exchanges in which it differed.</param>
/// <param name="Example">The first difference seen there.</param>
public sealed record LocationCount(string Location, DifferenceKind Kind, long Count, Difference Example);
