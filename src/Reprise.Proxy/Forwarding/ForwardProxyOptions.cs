namespace Reprise.Proxy.Forwarding;

/// <summary>How a Kestrel listener acts as a forward proxy (see <see cref="ForwardProxyListenOptionsExtensions.UseForwardProxy"/>).</summary>
public sealed record ForwardProxyOptions
{
    /// <summary>Leaf certificates for TLS interception; null tunnels every CONNECT blindly.</summary>
    public Certificates.LeafCertificateCache? Certificates { get; init; }

    /// <summary>
    /// Hosts whose CONNECT tunnels are relayed blindly (not decrypted). Exact names, or <c>*.example.com</c>
    /// for any subdomain. Matched case-insensitively against the CONNECT host.
    /// </summary>
    public IReadOnlyList<string> NoInterceptHosts { get; init; } = [];

    /// <summary>Offer HTTP/2 via ALPN on intercepted TLS (h2 first, then http/1.1).</summary>
    public bool AllowHttp2 { get; init; } = true;

    /// <summary>Longest wait for the CONNECT head and for the client's TLS handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long an intercepting proxy waits, after answering a CONNECT, for the client's first bytes to tell
    /// TLS, h2c or HTTP/1 apart. A client still silent by then is waiting for the server to speak first
    /// (SMTP, FTP, POP3, IMAP, MySQL banners): the tunnel is relayed blindly.
    /// </summary>
    public TimeSpan SniffTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait to connect to a blind tunnel's target.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Opens the connection for a blind tunnel; default: TCP to host:port.</summary>
    public Func<ProxyTarget, CancellationToken, ValueTask<Stream>>? TunnelConnector { get; init; }

    /// <summary>Awaited when a blind tunnel closes (for recording or metrics). Must not throw.</summary>
    public Func<TunnelSummary, ValueTask>? TunnelClosed { get; init; }

    /// <summary>The clock for tunnel timings.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>True when <paramref name="host"/> must not be intercepted.</summary>
    public bool IsNoIntercept(string host)
    {
        foreach (var pattern in NoInterceptHosts)
        {
            if (pattern.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(pattern.AsSpan(1), StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1
                : string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
