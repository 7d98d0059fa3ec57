using Reprise.Core.Model;
using Reprise.Core.Pipeline;

namespace Reprise.Cli.Commands.Replay;

/// <summary>The source with the filters applied, enumerable again for each --duration loop.</summary>
internal sealed class ReplayableSource(IExchangeSource source, IReadOnlyList<IExchangeTransform> transforms) : IAsyncEnumerable<Exchange>
{
    public IAsyncEnumerator<Exchange> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        ExchangePipeline.Apply(source.ReadAsync(cancellationToken), transforms, cancellationToken).GetAsyncEnumerator(cancellationToken);
}
