using System.Runtime.CompilerServices;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;

namespace Reprise.Core.Transforms;

/// <summary>
/// Keeps a deterministic fraction of the stream. The decision hashes the trace id (else the exchange
/// id) with the seed, so a user request and the dependency calls it caused are kept or dropped together,
/// and the same seed always keeps the same exchanges.
/// </summary>
public sealed class SampleTransform : IExchangeTransform
{
    private readonly ulong _threshold;
    private readonly ulong _seed;

    /// <param name="rate">Fraction to keep, in [0, 1].</param>
    /// <param name="seed">Seed of the hash.</param>
    public SampleTransform(double rate, ulong seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1);
        _threshold = rate >= 1 ? ulong.MaxValue : (ulong)(rate * ulong.MaxValue);
        _seed = seed;
    }

    /// <inheritdoc />
    public string Name => "sample";

    /// <summary>True when the exchange is in the sample.</summary>
    public bool Keeps(Exchange exchange) => _threshold == ulong.MaxValue || Text.StableHash.Of(exchange.TraceId ?? exchange.Id, _seed) < _threshold;

    /// <inheritdoc />
    public async IAsyncEnumerable<Exchange> TransformAsync(IAsyncEnumerable<Exchange> input, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var exchange in input.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (Keeps(exchange))
            {
                yield return exchange;
            }
        }
    }
}
