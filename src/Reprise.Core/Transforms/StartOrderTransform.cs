using System.Runtime.CompilerServices;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;

namespace Reprise.Core.Transforms;

/// <summary>
/// Puts a stream into the order its requests started (<see cref="Exchange.StartedAt"/>) within a bounded
/// window: up to <see cref="Window"/> exchanges are held, and the earliest-started one goes out whenever
/// the window is full. An exchange out of place by fewer than <see cref="Window"/> positions lands where
/// it belongs (recordings written in completion order by older versions, HAR files in page order, merged
/// files); one further out goes as early as the window allows. Ties keep file order. Memory is bounded
/// by the window, so a recording of any size streams.
/// </summary>
public sealed class StartOrderTransform : IExchangeTransform
{
    /// <summary>The window replay uses.</summary>
    public const int DefaultWindow = 256;

    /// <param name="window">Most exchanges held at once (at least 1).</param>
    public StartOrderTransform(int window = DefaultWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        Window = window;
    }

    /// <summary>Most exchanges held at once.</summary>
    public int Window { get; }

    /// <inheritdoc />
    public string Name => "start-order";

    /// <inheritdoc />
    public async IAsyncEnumerable<Exchange> TransformAsync(IAsyncEnumerable<Exchange> input, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var held = new PriorityQueue<Exchange, (long Ticks, long Position)>(Math.Min(Window, 1024) + 1);
        long position = 0;
        await foreach (var exchange in input.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            held.Enqueue(exchange, (exchange.StartedAt.UtcTicks, position++));
            if (held.Count > Window)
            {
                yield return held.Dequeue();
            }
        }

        while (held.TryDequeue(out var next, out _))
        {
            yield return next;
        }
    }
}
