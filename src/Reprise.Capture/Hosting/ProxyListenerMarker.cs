namespace Reprise.Capture.Hosting;

/// <summary>A connection feature marking connections accepted by the forward-proxy listener.</summary>
internal sealed class ProxyListenerMarker
{
    public static readonly ProxyListenerMarker Instance = new();
}
