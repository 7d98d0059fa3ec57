using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Reprise.Capture.Forwarding;

/// <summary>
/// The upstream's TLS certificate was rejected, with what was wrong: the policy errors and the chain's status. Thrown
/// by the recorder's certificate check, so the 502 and the recorded error name the actual problem and suggest
/// <c>--upstream-ca</c> only where it would help.
/// </summary>
internal sealed class UpstreamCertificateException : AuthenticationException
{
    private const X509ChainStatusFlags UnknownIssuer = X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain;

    public UpstreamCertificateException(SslPolicyErrors errors, X509ChainStatusFlags chain, bool upstreamCaGiven)
        : base(Describe(errors, chain, upstreamCaGiven))
    {
        Errors = errors;
        Chain = chain;
        UpstreamCaGiven = upstreamCaGiven;
    }

    public SslPolicyErrors Errors { get; }

    public X509ChainStatusFlags Chain { get; }

    public bool UpstreamCaGiven { get; }

    /// <summary>
    /// True when trusting a CA would fix it: only the chain is wrong, and only because its root is unknown
    /// (UntrustedRoot, PartialChain), and <c>--upstream-ca</c> was not given. A name mismatch, an expired or revoked
    /// certificate are not fixed by trusting a root.
    /// </summary>
    public bool TrustingACaWouldHelp =>
        !UpstreamCaGiven && Errors == SslPolicyErrors.RemoteCertificateChainErrors && (Chain & UnknownIssuer) != 0 && (Chain & ~UnknownIssuer) == 0;

    private static string Describe(SslPolicyErrors errors, X509ChainStatusFlags chain, bool upstreamCaGiven)
    {
        var parts = new List<string>(3);
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            parts.Add("it does not name the host (RemoteCertificateNameMismatch)");
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            parts.Add("the upstream sent none (RemoteCertificateNotAvailable)");
        }

        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            parts.Add(chain == X509ChainStatusFlags.NoError ? "its chain is invalid" : $"its chain is invalid ({chain})");
        }

        var what = string.Join("; ", parts);
        return upstreamCaGiven && (errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0
            ? $"the upstream certificate was rejected: {what}, also with the --upstream-ca roots"
            : $"the upstream certificate was rejected: {what}";
    }
}
