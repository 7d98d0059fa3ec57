using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Reprise.Proxy.Connections;

/// <summary>Marks a cleartext connection that opened with the HTTP/2 preface (see <see cref="CleartextHttp2ListenOptionsExtensions"/>).</summary>
public sealed class CleartextHttp2Feature : ITlsConnectionFeature, ITlsApplicationProtocolFeature
{
    /// <summary>The HTTP/2 connection preface a prior-knowledge client opens with (RFC 9113 section 3.4).</summary>
    public static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>
    /// Marks a connection whose first bytes are the preface: it reports "h2" the way ALPN would, so Kestrel
    /// serves HTTP/2 on it.
    /// </summary>
    public static void Attach(IFeatureCollection features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var feature = new CleartextHttp2Feature();
        features.Set<ITlsConnectionFeature>(feature);
        features.Set<ITlsApplicationProtocolFeature>(feature);
        features.Set(feature);
    }

    /// <inheritdoc />
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>Always <c>h2</c>.</summary>
    public ReadOnlyMemory<byte> ApplicationProtocol => "h2"u8.ToArray();

    /// <inheritdoc />
    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
}
