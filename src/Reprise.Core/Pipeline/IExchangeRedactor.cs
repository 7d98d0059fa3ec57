using Reprise.Core.Model;

namespace Reprise.Core.Pipeline;

/// <summary>
/// Redacts one exchange before it is stored. Live sources (proxies, middleware) call it per exchange,
/// before the writer; there is no path to disk around it except an explicit <see cref="NoRedaction"/>
/// chosen with <c>--no-redact</c>.
/// </summary>
public interface IExchangeRedactor
{
    /// <summary>The policy name written into the recording header.</summary>
    string PolicyName { get; }

    /// <summary>A digest of the policy (rules and key id, never the key), written into the header.</summary>
    string PolicyDigest { get; }

    /// <summary>Returns the exchange with sensitive data replaced and <see cref="Exchange.Redactions"/> listing what was done.</summary>
    Exchange Redact(Exchange exchange);
}
