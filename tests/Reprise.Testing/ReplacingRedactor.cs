using System.Collections.Immutable;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;

namespace Reprise.Testing;

/// <summary>
/// A tiny deterministic stand-in for a redaction policy: replaces one raw value with one token in the
/// URL, the request body and the response body, and lists what it did (so callers can see it ran).
/// </summary>
public sealed class ReplacingRedactor(string raw, string token) : IExchangeRedactor
{
    /// <summary>Exchanges redacted so far.</summary>
    public int Calls { get; private set; }

    /// <inheritdoc />
    public string PolicyName => "test";

    /// <inheritdoc />
    public string PolicyDigest => "sha256:test";

    /// <inheritdoc />
    public Exchange Redact(Exchange exchange)
    {
        Calls++;
        var request = exchange.Request with
        {
            Url = exchange.Request.Url.Replace(raw, token, StringComparison.Ordinal).Replace(Uri.EscapeDataString(raw), token, StringComparison.Ordinal),
            Body = Replace(exchange.Request.Body),
        };
        var response = exchange.Response is { } r ? r with { Body = Replace(r.Body) } : null;
        return exchange with
        {
            Request = request,
            Response = response,
            Redactions = exchange.Redactions.IsDefaultOrEmpty ? ImmutableArray.Create(new Redaction("request", "test", "tokenize")) : exchange.Redactions,
        };
    }

    private ExchangeBody? Replace(ExchangeBody? body) =>
        body is null ? null : body with { Content = System.Text.Encoding.UTF8.GetBytes(body.Text.Replace(raw, token, StringComparison.Ordinal)) };
}
