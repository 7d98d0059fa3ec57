namespace Reprise.Diff.Noise;

/// <summary>A location to ignore, optionally only on matching endpoints.</summary>
/// <param name="Location">The location glob.</param>
/// <param name="Endpoint">The endpoint glob, or null for every endpoint.</param>
/// <param name="Reason">Why (shown in the noise list).</param>
/// <param name="Source"><c>rule</c> (user YAML or --ignore) or <c>default</c> (built-in header list).</param>
public sealed record IgnoreRule(LocationGlob Location, EndpointGlob? Endpoint, string Reason, string Source)
{
    /// <summary>True when the rule covers this location on this endpoint.</summary>
    public bool Covers(string endpoint, string location) => (Endpoint is null || Endpoint.IsMatch(endpoint)) && Location.IsMatch(location);
}
