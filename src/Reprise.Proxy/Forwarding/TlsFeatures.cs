using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Reprise.Proxy.Forwarding;

/// <summary>
/// Tells Kestrel the connection is TLS (so <c>Request.Scheme</c> is https) and which ALPN protocol was
/// negotiated (so it speaks h2 when the client chose it).
/// </summary>
internal sealed class TlsFeatures(SslStream ssl) : ITlsConnectionFeature, ITlsApplicationProtocolFeature, ITlsHandshakeFeature
{
    public X509Certificate2? ClientCertificate { get; set; }

    public ReadOnlyMemory<byte> ApplicationProtocol { get; } = ssl.NegotiatedApplicationProtocol.Protocol;

    public SslProtocols Protocol { get; } = ssl.SslProtocol;

    public TlsCipherSuite? NegotiatedCipherSuite { get; } = ssl.NegotiatedCipherSuite;

    public string HostName { get; } = ssl.TargetHostName;

#pragma warning disable SYSLIB0058 // required by the interface; values are the obsolete projections
    public CipherAlgorithmType CipherAlgorithm => ssl.CipherAlgorithm;

    public int CipherStrength => ssl.CipherStrength;

    public HashAlgorithmType HashAlgorithm => ssl.HashAlgorithm;

    public int HashStrength => ssl.HashStrength;

    public ExchangeAlgorithmType KeyExchangeAlgorithm => ssl.KeyExchangeAlgorithm;

    public int KeyExchangeStrength => ssl.KeyExchangeStrength;
#pragma warning restore SYSLIB0058

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
}
