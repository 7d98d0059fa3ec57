using Reprise.Core.Model;

namespace Reprise.Core.Pipeline;

/// <summary>Composes a source, transforms (built once, in order) and a sink.</summary>
public static class ExchangePipeline
{
    /// <summary>Applies the transforms to the stream in order.</summary>
    public static IAsyncEnumerable<Exchange> Apply(IAsyncEnumerable<Exchange> input, IReadOnlyList<IExchangeTransform> transforms, CancellationToken cancellationToken = default)
    {
        var stream = input;
        foreach (var transform in transforms)
        {
            stream = transform.TransformAsync(stream, cancellationToken);
        }

        return stream;
    }

    /// <summary>Runs source, transforms and sink to completion.</summary>
    public static Task<TSummary> RunAsync<TSummary>(IExchangeSource source, IReadOnlyList<IExchangeTransform> transforms, IExchangeSink<TSummary> sink, CancellationToken cancellationToken = default) =>
        sink.ConsumeAsync(Apply(source.ReadAsync(cancellationToken), transforms, cancellationToken), cancellationToken);

    /// <summary>Wraps a stream so a callback sees each exchange as it passes (progress, counters).</summary>
    public static async IAsyncEnumerable<Exchange> Observe(this IAsyncEnumerable<Exchange> input, Action<Exchange> observer, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var exchange in input.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            observer(exchange);
            yield return exchange;
        }
    }
}
