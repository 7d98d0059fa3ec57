using Reprise.Core.Model;

namespace Reprise.Core.Pipeline;

/// <summary>Produces exchanges: a recording file, a HAR file, a proxy, a middleware.</summary>
public interface IExchangeSource
{
    /// <summary>A stable name for logs and output.</summary>
    string Name { get; }

    /// <summary>Streams the exchanges; memory stays bounded whatever their number.</summary>
    IAsyncEnumerable<Exchange> ReadAsync(CancellationToken cancellationToken = default);
}
