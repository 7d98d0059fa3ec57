using Reprise.Core.Model;

namespace Reprise.Replay.Results;

/// <summary>Drops results (summary only: pure load generation).</summary>
public sealed class NullResultSink : IReplayResultSink
{
    /// <summary>The shared instance.</summary>
    public static readonly NullResultSink Instance = new();

    /// <inheritdoc />
    public bool KeepsResults => false;

    /// <inheritdoc />
    public ValueTask WriteAsync(Exchange result, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
