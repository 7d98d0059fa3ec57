using System.Collections.Immutable;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;

namespace Reprise.Replay.Results;

/// <summary>
/// Writes results as an ordinary Reprise recording (what <c>diff</c> reads), batching on a background loop.
/// With a redactor (the recording's policy), every result is redacted before it is queued, exactly as
/// <c>record</c> redacts before its writer: nothing unredacted reaches the file, and a value the target
/// answers as it was recorded gets the token the recording holds.
/// </summary>
public sealed class RecordingResultSink : IReplayResultSink, IAsyncDisposable
{
    private readonly BackgroundRecordingSink _sink;
    private readonly IExchangeRedactor? _redactor;
    private long _redactionFailures;

    private RecordingResultSink(BackgroundRecordingSink sink, IExchangeRedactor? redactor)
    {
        _sink = sink;
        _redactor = redactor;
    }

    /// <inheritdoc />
    public bool KeepsResults => true;

    /// <summary>Results written so far.</summary>
    public long Written => _sink.Written;

    /// <summary>Results dropped because the redactor failed on them (never written unredacted).</summary>
    public long RedactionFailures => Interlocked.Read(ref _redactionFailures);

    /// <summary>Creates the file with a header describing the run (<see cref="Replayer.DescribeRun"/>); results are written as received.</summary>
    public static Task<RecordingResultSink> CreateAsync(string path, ImmutableSortedDictionary<string, string> capture, bool overwrite, TimeProvider time, CancellationToken cancellationToken) =>
        CreateAsync(path, capture, overwrite, time, redactor: null, cancellationToken);

    /// <summary>Creates the file with a header describing the run (<see cref="Replayer.DescribeRun"/>).</summary>
    /// <param name="path">The results file.</param>
    /// <param name="capture">The header's capture settings.</param>
    /// <param name="overwrite">Replace an existing file.</param>
    /// <param name="time">Clock of the header and flushes.</param>
    /// <param name="redactor">Applied to every result before it is written (its name and digest go into the header); null writes results as received.</param>
    /// <param name="cancellationToken">Cancels creating the file.</param>
    public static async Task<RecordingResultSink> CreateAsync(string path, ImmutableSortedDictionary<string, string> capture, bool overwrite, TimeProvider time, IExchangeRedactor? redactor, CancellationToken cancellationToken)
    {
        var header = redactor is null
            ? new RecordingHeader { CreatedAt = time.GetUtcNow(), Capture = capture.SetItem("redaction", "disabled") }
            : new RecordingHeader { CreatedAt = time.GetUtcNow(), Capture = capture, RedactionPolicy = redactor.PolicyName, RedactionDigest = redactor.PolicyDigest };
        var writer = await RecordingWriter.CreateAsync(
            path,
            header,
            new RecordingWriterOptions { Overwrite = overwrite, TimeProvider = time },
            cancellationToken).ConfigureAwait(false);
        return new RecordingResultSink(new BackgroundRecordingSink(writer), redactor);
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(Exchange result, CancellationToken cancellationToken)
    {
        if (_redactor is not null)
        {
            try
            {
                result = _redactor.Redact(result);
            }
#pragma warning disable CA1031 // a failing redactor must not stop the run; the result is dropped, never written raw
            catch (Exception)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _redactionFailures);
                return ValueTask.CompletedTask;
            }
        }

        return _sink.EnqueueAsync(result, cancellationToken);
    }

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
