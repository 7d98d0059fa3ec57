using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Reprise.Proxy.Certificates;
using Reprise.Testing;
using Xunit;

namespace Reprise.Proxy.Tests.Certificates;

public sealed class CertificateAuthorityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SaveThenLoad_RoundTripsCertificateAndKey_KeyFileIsPrivate()
    {
        using var dir = new TempDir();
        var paths = new CaPaths(Path.Combine(dir.Path, "ca"));
        using var created = CertificateAuthority.Create(Now);
        created.Save(paths, overwrite: false);

        using var loaded = CertificateAuthority.Load(paths);
        Assert.Equal(created.Certificate.Thumbprint, loaded.Certificate.Thumbprint);
        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(paths.CertificatePem), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(paths.PrivateKeyPem), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.PrivateKeyPem));
        }

        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", loaded.Fingerprint);
    }

    [Fact]
    public void Save_ExistingCa_RefusesWithoutOverwrite()
    {
        using var dir = new TempDir();
        var paths = new CaPaths(dir.Path);
        using var first = CertificateAuthority.Create(Now);
        first.Save(paths, overwrite: false);
        using var second = CertificateAuthority.Create(Now);

        var ex = Assert.Throws<CertificateAuthorityException>(() => second.Save(paths, overwrite: false));
        Assert.Contains(paths.CertificatePem, ex.Message, StringComparison.Ordinal);
        second.Save(paths, overwrite: true);
        using var loaded = CertificateAuthority.Load(paths);
        Assert.Equal(second.Certificate.Thumbprint, loaded.Certificate.Thumbprint);
    }

    [Fact]
    public void Load_Missing_NamesFileAndInit()
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<CertificateAuthorityException>(() => CertificateAuthority.Load(new CaPaths(dir.Path)));
        Assert.Contains("reprise ca init", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptKey_NamesFile()
    {
        using var dir = new TempDir();
        var paths = new CaPaths(dir.Path);
        using (var ca = CertificateAuthority.Create(Now))
        {
            ca.Save(paths, overwrite: false);
        }

        File.WriteAllText(paths.PrivateKeyPem, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        var ex = Assert.Throws<CertificateAuthorityException>(() => CertificateAuthority.Load(paths));
        Assert.Contains(paths.CertificatePem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadOrCreate_CreatesOnceThenReuses()
    {
        using var dir = new TempDir();
        var paths = CaPaths.ForHome(dir.Path);
        using var first = CertificateAuthority.LoadOrCreate(paths, TimeProvider.System, out var created1);
        using var second = CertificateAuthority.LoadOrCreate(paths, TimeProvider.System, out var created2);
        Assert.True(created1);
        Assert.False(created2);
        Assert.Equal(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
        Assert.Equal(Path.Combine(dir.Path, "ca"), paths.Directory);
    }

    [Theory]
    [InlineData("api.example.test")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void CreateLeaf_ChainsToCaAndNamesHost(string host)
    {
        using var ca = CertificateAuthority.Create(Now);
        using var leaf = LeafCertificateCache.CreateLeaf(ca, host, Now);
        using var publicCa = X509CertificateLoader.LoadCertificate(ca.Certificate.RawData);

        Assert.True(leaf.HasPrivateKey);
        Assert.True(leaf.MatchesHostname(host));
        Assert.False(leaf.MatchesHostname("other.example.test"));
        Assert.True(leaf.NotAfter.ToUniversalTime() <= Now.AddDays(398).UtcDateTime);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(publicCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.AddDays(1).UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        using var otherCa = CertificateAuthority.Create(Now);
        Assert.False(CaTrust.Validates(otherCa.Certificate, leaf, SslPolicyErrors.RemoteCertificateChainErrors));
    }
}
