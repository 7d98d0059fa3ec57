using System.Collections.Immutable;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;

namespace Reprise.Replay.Results;

/// <summary>Writes results as an ordinary Reprise recording (what <c>diff</c> reads), batching on a background loop.</summary>
public sealed class RecordingResultSink : IReplayResultSink, IAsyncDisposable
{
    private readonly BackgroundRecordingSink _sink;

    private RecordingResultSink(BackgroundRecordingSink sink) => _sink = sink;

    /// <inheritdoc />
    public bool KeepsResults => true;

    /// <summary>Results written so far.</summary>
    public long Written => _sink.Written;

    /// <summary>Creates the file with a header describing the run (<see cref="Replayer.DescribeRun"/>).</summary>
    public static async Task<RecordingResultSink> CreateAsync(string path, ImmutableSortedDictionary<string, string> capture, bool overwrite, TimeProvider time, CancellationToken cancellationToken)
    {
        var writer = await RecordingWriter.CreateAsync(
            path,
            new RecordingHeader { CreatedAt = time.GetUtcNow(), Capture = capture },
            new RecordingWriterOptions { Overwrite = overwrite, TimeProvider = time },
            cancellationToken).ConfigureAwait(false);
        return new RecordingResultSink(new BackgroundRecordingSink(writer));
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(Exchange result, CancellationToken cancellationToken) => _sink.EnqueueAsync(result, cancellationToken);

    /// <summary>Writes everything queued and closes the file; reports a write failure (e.g. disk full) as an <see cref="IOException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _sink.DisposeAsync().ConfigureAwait(false);
        if (_sink.Fault is { } fault)
        {
            throw new IOException($"writing the results failed ({fault.Message.TrimEnd('.')}); {_sink.Dropped:N0} results after that were not written", fault);
        }
    }
}
