namespace Reprise.Core.Model;

/// <summary>Why an exchange has no (complete) response.</summary>
public enum ExchangeErrorKind
{
    /// <summary>The connection to the upstream could not be made.</summary>
    Connect,

    /// <summary>The upstream did not answer in time.</summary>
    Timeout,

    /// <summary>The connection was reset or closed mid-exchange.</summary>
    Reset,

    /// <summary>The peer broke the protocol (bad framing, bad TLS).</summary>
    Protocol,

    /// <summary>The client went away or the exchange was cancelled.</summary>
    Canceled,

    /// <summary>Anything else.</summary>
    Other,
}
