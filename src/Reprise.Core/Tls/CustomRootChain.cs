using System.Security.Cryptography.X509Certificates;

namespace Reprise.Core.Tls;

/// <summary>
/// A certificate chain built to user-given roots only (<c>record --upstream-ca</c>, <c>replay --target-ca</c>: a service
/// with its own CA), without revocation checks (private CAs rarely publish any).
/// </summary>
public static class CustomRootChain
{
    /// <summary>
    /// True when <paramref name="certificate"/> chains to one of <paramref name="roots"/>, through the intermediates the
    /// server sent (<paramref name="presented"/>: the chain a TLS validation callback gets); <paramref name="status"/> says
    /// what failed otherwise.
    /// </summary>
    public static bool Builds(X509Certificate2Collection roots, X509Certificate certificate, X509Chain? presented, out X509ChainStatusFlags status)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        var built = chain.Build(leaf);
        status = X509ChainStatusFlags.NoError;
        foreach (var element in chain.ChainStatus)
        {
            status |= element.Status;
        }

        return built;
    }
}
