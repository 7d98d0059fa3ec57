using System.Collections.Concurrent;
using Reprise.Core.Model;
using Reprise.Replay.Results;

namespace Reprise.Replay.Tests.Support;

/// <summary>Keeps results in memory.</summary>
internal sealed class ListSink(bool keep = true) : IReplayResultSink
{
    public ConcurrentQueue<Exchange> Results { get; } = new();

    public bool KeepsResults => keep;

    public ValueTask WriteAsync(Exchange result, CancellationToken cancellationToken)
    {
        Results.Enqueue(result);
        return ValueTask.CompletedTask;
    }
}
