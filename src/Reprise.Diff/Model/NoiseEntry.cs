namespace Reprise.Diff.Model;

/// <summary>A location that was ignored on an endpoint, why, and how often it was ignored.</summary>
/// <param name="Endpoint">The endpoint (<c>GET /orders/{id}</c>), or <c>*</c> for every endpoint.</param>
/// <param name="Location">The location or pattern (array indexes generalised to <c>[*]</c>).</param>
/// <param name="Reason">Why: a rule, a learned source or a volatile format.</param>
/// <param name="Source">The kind of reason: <c>rule</c>, <c>default</c>, <c>identical-requests</c>, <c>baseline</c> or <c>format</c>.</param>
/// <param name="Count">How many differences it suppressed in the comparison.</param>
public sealed record NoiseEntry(string Endpoint, string Location, string Reason, string Source, long Count);
