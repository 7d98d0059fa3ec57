using Reprise.Core.Model;

namespace Reprise.Replay.Results;

/// <summary>Receives one result exchange per replayed request (called concurrently).</summary>
public interface IReplayResultSink
{
    /// <summary>False when results are not kept (then bodies are read and dropped without copying).</summary>
    bool KeepsResults { get; }

    /// <summary>Accepts one result.</summary>
    ValueTask WriteAsync(Exchange result, CancellationToken cancellationToken);
}
