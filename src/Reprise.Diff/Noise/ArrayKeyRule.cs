namespace Reprise.Diff.Noise;

/// <summary>Match the elements of a JSON array by a member instead of by index.</summary>
/// <param name="Path">The array path, indexes as <c>[*]</c> (e.g. <c>$.orders[*].items</c>).</param>
/// <param name="Key">The member that identifies an element (e.g. <c>id</c>).</param>
/// <param name="Endpoint">The endpoint glob, or null for every endpoint.</param>
public sealed record ArrayKeyRule(string Path, string Key, EndpointGlob? Endpoint);
