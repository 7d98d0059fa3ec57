namespace Reprise.Proxy.Forwarding;

/// <summary>How a request reached the forward proxy.</summary>
public enum ProxyConnectionMode
{
    /// <summary>A plain-HTTP request with an absolute-form target (<c>GET http://host/path</c>).</summary>
    AbsoluteForm,

    /// <summary>Inside a CONNECT tunnel whose TLS the proxy terminated with a leaf from the local CA.</summary>
    InterceptedTls,

    /// <summary>Inside a CONNECT tunnel that carried plain HTTP (e.g. <c>ws://</c> through a proxy).</summary>
    PlainTunnel,
}
