namespace Reprise.Proxy.Certificates;

/// <summary>The CA files are missing, unreadable or not a CA; the message names the file.</summary>
public sealed class CertificateAuthorityException : Exception
{
    public CertificateAuthorityException(string message)
        : base(message)
    {
    }

    public CertificateAuthorityException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CertificateAuthorityException()
    {
    }
}
