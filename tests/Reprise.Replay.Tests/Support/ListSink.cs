using System.Collections.Concurrent;
using Reprise.Core.Model;
using Reprise.Replay.Results;

namespace Reprise.Replay.Tests.Support;

/// <summary>Keeps results in memory.</summary>
internal sealed class ListSink : IReplayResultSink
{
    public ConcurrentQueue<Exchange> Results { get; } = new();

    public bool KeepsResults => true;

    public ValueTask WriteAsync(Exchange result, CancellationToken cancellationToken)
    {
        Results.Enqueue(result);
        return ValueTask.CompletedTask;
    }
}
