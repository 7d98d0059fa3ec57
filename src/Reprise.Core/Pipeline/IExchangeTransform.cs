using Reprise.Core.Model;

namespace Reprise.Core.Pipeline;

/// <summary>Maps a stream of exchanges to another: filter, sample, redact, time-shift.</summary>
public interface IExchangeTransform
{
    /// <summary>A stable name for config, logs and output.</summary>
    string Name { get; }

    /// <summary>Transforms the stream lazily.</summary>
    IAsyncEnumerable<Exchange> TransformAsync(IAsyncEnumerable<Exchange> input, CancellationToken cancellationToken = default);
}
