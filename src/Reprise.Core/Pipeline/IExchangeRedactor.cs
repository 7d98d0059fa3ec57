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

    /// <summary>
    /// The same policy for another stream (one recording, one results file): a policy that carries values it redacted
    /// from one exchange to the next starts that with nothing carried. A policy without such state returns itself.
    /// </summary>
    IExchangeRedactor ForStream() => this;

    /// <summary>
    /// The same policy redacting each exchange on its own, carrying nothing from one to the next (the live requests of
    /// a server many clients share, whose matching must not depend on what other clients sent). A policy without such
    /// state returns itself.
    /// </summary>
    IExchangeRedactor ForSingleExchanges() => this;
}
