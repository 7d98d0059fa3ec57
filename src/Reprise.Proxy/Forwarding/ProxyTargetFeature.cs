namespace Reprise.Proxy.Forwarding;

/// <summary>The built-in <see cref="IProxyTargetFeature"/>.</summary>
internal sealed record ProxyTargetFeature(ProxyTarget Target, ProxyConnectionMode Mode, string? ServerName) : IProxyTargetFeature;
