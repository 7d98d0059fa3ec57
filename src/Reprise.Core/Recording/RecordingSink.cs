using Reprise.Core.Model;
using Reprise.Core.Pipeline;

namespace Reprise.Core.Recording;

/// <summary>Writes a stream to a recording file; returns the number written. Atomic by default.</summary>
public sealed class RecordingSink : IExchangeSink<long>
{
    private readonly string _path;
    private readonly RecordingHeader _header;
    private readonly RecordingWriterOptions _options;

    public RecordingSink(string path, RecordingHeader header, RecordingWriterOptions? options = null)
    {
        _path = path;
        _header = header;
        _options = options ?? new RecordingWriterOptions { Atomic = true };
    }

    /// <inheritdoc />
    public string Name => "recording";

    /// <inheritdoc />
    public async Task<long> ConsumeAsync(IAsyncEnumerable<Exchange> input, CancellationToken cancellationToken = default)
    {
        await using var writer = await RecordingWriter.CreateAsync(_path, _header, _options, cancellationToken).ConfigureAwait(false);
        await foreach (var exchange in input.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await writer.WriteAsync(exchange, cancellationToken).ConfigureAwait(false);
        }

        await writer.CompleteAsync().ConfigureAwait(false);
        return writer.Count;
    }
}
