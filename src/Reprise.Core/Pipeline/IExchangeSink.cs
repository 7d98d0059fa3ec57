using Reprise.Core.Model;

namespace Reprise.Core.Pipeline;

/// <summary>Consumes a stream of exchanges and returns a summary of what it did.</summary>
/// <typeparam name="TSummary">What the sink reports when the stream ends.</typeparam>
public interface IExchangeSink<TSummary>
{
    /// <summary>A stable name for logs and output.</summary>
    string Name { get; }

    /// <summary>Consumes the whole stream.</summary>
    Task<TSummary> ConsumeAsync(IAsyncEnumerable<Exchange> input, CancellationToken cancellationToken = default);
}
