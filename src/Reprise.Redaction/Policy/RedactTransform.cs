using System.Runtime.CompilerServices;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;

namespace Reprise.Redaction.Policy;

/// <summary>The <c>redact</c> stream transform: applies an <see cref="IExchangeRedactor"/> to every exchange, in order.</summary>
public sealed class RedactTransform : IExchangeTransform
{
    private readonly IExchangeRedactor _redactor;

    public RedactTransform(IExchangeRedactor redactor) => _redactor = redactor;

    /// <inheritdoc />
    public string Name => "redact";

    /// <summary>Exchanges seen so far.</summary>
    public long Count { get; private set; }

    /// <summary>Redactions applied so far.</summary>
    public long Redacted { get; private set; }

    /// <inheritdoc />
    public async IAsyncEnumerable<Exchange> TransformAsync(IAsyncEnumerable<Exchange> input, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var exchange in input.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var before = exchange.Redactions.IsDefaultOrEmpty ? 0 : exchange.Redactions.Length;
            var redacted = _redactor.Redact(exchange);
            Count++;
            Redacted += (redacted.Redactions.IsDefaultOrEmpty ? 0 : redacted.Redactions.Length) - before;
            yield return redacted;
        }
    }
}
