using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Reprise.Core.Tls;

namespace Reprise.Replay.Http;

/// <summary>
/// Certificate validation of an https target with <c>--target-ca</c>: the system's verdict, or else a chain to one of
/// the given roots (a service with its own CA: Icinga 2, Kubernetes, Elasticsearch, Vault). Only a chain error is
/// forgiven: a name mismatch stays a rejection.
/// </summary>
internal static class TargetTrust
{
    public static bool Accepts(X509Certificate2Collection? roots, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (roots is not { Count: > 0 } || certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        return CustomRootChain.Builds(roots, certificate, presented, out _);
    }
}
