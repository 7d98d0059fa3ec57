using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Reprise.Proxy.Connections;

/// <summary>Marks a cleartext connection that opened with the HTTP/2 preface (see <see cref="CleartextHttp2ListenOptionsExtensions"/>).</summary>
public sealed class CleartextHttp2Feature : ITlsConnectionFeature, ITlsApplicationProtocolFeature
{
    /// <inheritdoc />
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>Always <c>h2</c>.</summary>
    public ReadOnlyMemory<byte> ApplicationProtocol => "h2"u8.ToArray();

    /// <inheritdoc />
    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
}
