using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Reprise.Proxy.Certificates;

/// <summary>
/// Leaf certificates for intercepted hosts, signed by the local CA: generated on first use per host
/// (SNI name, or the CONNECT host when the client sent no SNI), then reused. Bounded: the least recently
/// used host is evicted past <see cref="Capacity"/>. Concurrent first requests for one host generate once.
/// </summary>
public sealed class LeafCertificateCache
{
    private readonly CertificateAuthority _authority;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly LinkedList<Entry> _recency = new();
    private long _generated;

    /// <param name="authority">The CA that signs leaves (owned by the caller).</param>
    /// <param name="timeProvider">The clock for validity periods.</param>
    /// <param name="capacity">Most hosts kept; at least 1.</param>
    public LeafCertificateCache(CertificateAuthority authority, TimeProvider timeProvider, int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _authority = authority;
        _timeProvider = timeProvider;
        Capacity = capacity;
    }

    /// <summary>The CA behind every leaf.</summary>
    public CertificateAuthority Authority => _authority;

    /// <summary>Most hosts kept.</summary>
    public int Capacity { get; }

    /// <summary>Hosts currently cached.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Leaves generated so far (a cache hit does not count).</summary>
    public long Generated => Interlocked.Read(ref _generated);

    /// <summary>The certificate context (leaf with key) for <paramref name="host"/>, generated on first use.</summary>
    public SslStreamCertificateContext Get(string host)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        var key = Normalize(host);
        Entry entry;
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                entry = node.Value;
            }
            else
            {
                entry = new Entry(key, new Lazy<SslStreamCertificateContext>(() => Generate(key), LazyThreadSafetyMode.ExecutionAndPublication));
                _entries[key] = _recency.AddFirst(entry);
                while (_entries.Count > Capacity)
                {
                    var last = _recency.Last!;
                    _recency.RemoveLast();
                    _entries.Remove(last.Value.Host);
                }
            }
        }

        // Generated outside the lock: other hosts never wait for this one's key pair.
        try
        {
            return entry.Context.Value;
        }
        catch
        {
            // Lazy caches a failure for good: forget the entry so the next CONNECT can try again.
            lock (_lock)
            {
                if (_entries.TryGetValue(key, out var node) && ReferenceEquals(node.Value, entry))
                {
                    _recency.Remove(node);
                    _entries.Remove(key);
                }
            }

            throw;
        }
    }

    /// <summary>Creates a leaf for <paramref name="host"/> (DNS name or IP literal) signed by <paramref name="authority"/>.</summary>
    public static X509Certificate2 CreateLeaf(CertificateAuthority authority, string host, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + SafeCommonName(host)), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host, out var ip))
        {
            san.AddIpAddress(ip);
        }
        else
        {
            san.AddDnsName(host);
        }

        request.CertificateExtensions.Add(san.Build(critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority.Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        // 397 days is the longest leaf lifetime browsers accept; never outlive the CA.
        var notAfter = now.AddDays(397);
        if (notAfter > authority.Certificate.NotAfter)
        {
            notAfter = authority.Certificate.NotAfter;
        }

        Span<byte> serial = stackalloc byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // positive
        using var signed = request.Create(authority.Certificate, now.AddDays(-1), notAfter, serial);
        return signed.CopyWithPrivateKey(key);
    }

    private SslStreamCertificateContext Generate(string host)
    {
        var leaf = CreateLeaf(_authority, host, _timeProvider.GetUtcNow());
        Interlocked.Increment(ref _generated);
        return SslStreamCertificateContext.Create(leaf, additionalCertificates: null, offline: true);
    }

    private static string Normalize(string host)
    {
        var trimmed = host.Trim().TrimEnd('.');
        if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
        {
            trimmed = trimmed[1..^1];
        }

        return trimmed.ToLowerInvariant();
    }

    private static string SafeCommonName(string host) =>
        host.Length <= 64 ? host.Replace(",", string.Empty, StringComparison.Ordinal).Replace("=", string.Empty, StringComparison.Ordinal).Replace("+", string.Empty, StringComparison.Ordinal) : "reprise-intercepted";

    private sealed record Entry(string Host, Lazy<SslStreamCertificateContext> Context);
}
