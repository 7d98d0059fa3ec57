namespace Reprise.Proxy.Certificates;

/// <summary>Where the local CA lives: <c>$REPRISE_HOME/ca</c>, default <c>~/.reprise/ca</c>.</summary>
/// <param name="Directory">The CA directory.</param>
public sealed record CaPaths(string Directory)
{
    /// <summary>The CA certificate (PEM), the file users trust.</summary>
    public string CertificatePem => Path.Combine(Directory, "reprise-ca.pem");

    /// <summary>The CA private key (PKCS#8 PEM, mode 600).</summary>
    public string PrivateKeyPem => Path.Combine(Directory, "reprise-ca.key.pem");

    /// <summary>True when both files exist.</summary>
    public bool Exists => File.Exists(CertificatePem) && File.Exists(PrivateKeyPem);

    /// <summary>The paths under <paramref name="repriseHome"/>, or under $REPRISE_HOME / ~/.reprise when null.</summary>
    public static CaPaths ForHome(string? repriseHome = null) =>
        new(Path.Combine(Reprise.Core.RepriseHome.Resolve(repriseHome), "ca"));
}
