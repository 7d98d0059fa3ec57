using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Reprise.Proxy.Certificates;

/// <summary>
/// The local Reprise CA: a self-signed ECDSA P-256 root that signs short-lived leaf certificates for
/// intercepted hosts. Stored as two PEM files (see <see cref="CaPaths"/>); the key file is mode 600.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    /// <summary>The subject of every Reprise CA (the fingerprint tells two apart).</summary>
    public const string SubjectName = "CN=Reprise Local CA, O=Reprise, OU=reprise record";

    private CertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Creates a new CA valid from <paramref name="now"/> for <paramref name="lifetime"/> (default 10 years).</summary>
    public static CertificateAuthority Create(DateTimeOffset now, TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(SubjectName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var cert = request.CreateSelfSigned(now.AddDays(-1), now + (lifetime ?? TimeSpan.FromDays(3650)));
        return new CertificateAuthority(cert);
    }

    /// <summary>Loads the CA from its PEM files; throws <see cref="CertificateAuthorityException"/> naming the file when it is missing or bad.</summary>
    public static CertificateAuthority Load(CaPaths paths)
    {
        if (!paths.Exists)
        {
            throw new CertificateAuthorityException($"{paths.CertificatePem}: no Reprise CA here (run 'reprise ca init')");
        }

        try
        {
            using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(paths.CertificatePem));
            using var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(paths.PrivateKeyPem));
            var withKey = cert.CopyWithPrivateKey(key);
            if (!IsCa(withKey))
            {
                withKey.Dispose();
                throw new CertificateAuthorityException($"{paths.CertificatePem}: not a CA certificate (basic constraints CA=false)");
            }

            return new CertificateAuthority(withKey);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new CertificateAuthorityException($"{paths.CertificatePem}: cannot load the CA: {ex.Message}", ex);
        }
    }

    /// <summary>Loads the CA, creating it first when absent; <paramref name="created"/> says which happened.</summary>
    public static CertificateAuthority LoadOrCreate(CaPaths paths, TimeProvider timeProvider, out bool created)
    {
        created = false;
        if (!paths.Exists)
        {
            using var ca = Create(timeProvider.GetUtcNow());
            ca.Save(paths, overwrite: false);
            created = true;
        }

        return Load(paths);
    }

    /// <summary>Writes the PEM files (key first with mode 600); refuses to replace an existing CA unless <paramref name="overwrite"/>.</summary>
    public void Save(CaPaths paths, bool overwrite)
    {
        if (!overwrite && (File.Exists(paths.CertificatePem) || File.Exists(paths.PrivateKeyPem)))
        {
            throw new CertificateAuthorityException($"{paths.CertificatePem}: a CA already exists (use --force to replace it; clients trusting the old one will stop trusting intercepted hosts)");
        }

        Directory.CreateDirectory(paths.Directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(paths.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var key = Certificate.GetECDsaPrivateKey() ?? throw new CertificateAuthorityException("the CA has no ECDSA private key");
        WritePrivate(paths.PrivateKeyPem, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(paths.CertificatePem, Certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>The SHA-256 fingerprint of the CA certificate (hex, colon separated), for humans to compare.</summary>
    public string Fingerprint => Convert.ToHexString(Certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Aggregate(string.Empty, (a, c) => a.Length == 0 ? new string(c) : a + ":" + new string(c));

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();

    private static bool IsCa(X509Certificate2 cert)
    {
        foreach (var extension in cert.Extensions)
        {
            if (extension is X509BasicConstraintsExtension constraints)
            {
                return constraints.CertificateAuthority;
            }
        }

        return false;
    }

    private static void WritePrivate(string path, string pem)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(pem);
        writer.Write('\n');
    }
}
