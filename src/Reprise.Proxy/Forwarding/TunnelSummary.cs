namespace Reprise.Proxy.Forwarding;

/// <summary>One blind (not intercepted) CONNECT tunnel, reported when it closes.</summary>
/// <param name="Target">The CONNECT authority.</param>
/// <param name="StartedAt">When the CONNECT arrived.</param>
/// <param name="Duration">How long the tunnel was open.</param>
/// <param name="BytesFromClient">Bytes relayed client → target.</param>
/// <param name="BytesFromTarget">Bytes relayed target → client.</param>
/// <param name="Error">Why it failed (e.g. connect refused), or null.</param>
public sealed record TunnelSummary(ProxyTarget Target, DateTimeOffset StartedAt, TimeSpan Duration, long BytesFromClient, long BytesFromTarget, string? Error);
