using System.Buffers;
using System.Text.Json;
using Reprise.Core.Model;

namespace Reprise.Core.Recording;

/// <summary>
/// Appends exchanges to a recording: header first, then one JSON line each. Flushes to the OS at
/// least every <see cref="RecordingWriterOptions.FlushInterval"/>, so a killed process loses at most
/// that much. Not thread-safe: concurrent producers go through <see cref="Pipeline.BackgroundRecordingSink"/>.
/// </summary>
public sealed class RecordingWriter : IAsyncDisposable
{
    private readonly string _path;
    private readonly string _writePath;
    private readonly RecordingWriterOptions _options;
    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;
    private long _lastFlush;
    private bool _movedIntoPlace;
    private bool _completed;
    private bool _disposed;

    private RecordingWriter(string path, string writePath, Stream stream, RecordingWriterOptions options)
    {
        _path = path;
        _writePath = writePath;
        _stream = stream;
        _options = options;
        _json = new Utf8JsonWriter(_buffer, ExchangeJson.WriterOptions);
        _lastFlush = options.TimeProvider.GetTimestamp();
    }

    /// <summary>The final path of the recording.</summary>
    public string Path => _path;

    /// <summary>Exchanges written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes handed to the (possibly compressing) stream so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>
    /// Creates the file and writes the header line (flushed at once, so even an empty recording is valid).
    /// Throws <see cref="RecordingFormatException"/> when the file exists (without <see cref="RecordingWriterOptions.Overwrite"/>)
    /// or cannot be created.
    /// </summary>
    public static async Task<RecordingWriter> CreateAsync(string path, RecordingHeader header, RecordingWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RecordingWriterOptions();
        if (!options.Overwrite && File.Exists(path))
        {
            throw new RecordingFormatException(path, 0, "already exists (use --force to overwrite)");
        }

        if (Directory.Exists(path))
        {
            // Checked first: the whole job would otherwise run into a temporary sibling and fail only at the final move.
            throw new RecordingFormatException(path, 0, "is a directory (give a file name)");
        }

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            throw new RecordingFormatException(path, 0, $"cannot create: directory '{directory}' does not exist");
        }

        var writePath = options.Atomic
            ? System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp")
            : path;
        FileStream file;
        try
        {
            var mode = options.Overwrite || options.Atomic ? FileMode.Create : FileMode.CreateNew;
            file = new FileStream(writePath, mode, FileAccess.Write, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The temporary sibling is an implementation detail: name the user's path instead.
            var reason = ex is UnauthorizedAccessException ? $"permission denied in '{directory}'" : ex.Message.Replace(writePath, path, StringComparison.Ordinal);
            throw new RecordingFormatException(path, 0, "cannot create: " + reason, ex);
        }

        var stream = RecordingCompressionExtensions.FromPath(path).WrapForWrite(file);
        var writer = new RecordingWriter(path, writePath, stream, options);
        ExchangeJson.WriteHeader(writer._json, header);
        await writer.WriteLineAsync(cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return writer;
    }

    /// <summary>Appends one exchange (flushing when the interval has passed).</summary>
    public async ValueTask WriteAsync(Exchange exchange, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ExchangeJson.Write(_json, exchange);
        await WriteLineAsync(cancellationToken).ConfigureAwait(false);
        Count++;
        if (_options.TimeProvider.GetElapsedTime(_lastFlush) >= _options.FlushInterval)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Pushes everything written so far to the operating system.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _lastFlush = _options.TimeProvider.GetTimestamp();
    }

    /// <summary>
    /// For an atomic writer: moves the file into place now and keeps writing to it (a live recorder
    /// calls this once its listeners are bound, so a failed start never replaces an existing recording,
    /// while a recorder killed later still leaves its data at the final path).
    /// </summary>
    public void MoveIntoPlace()
    {
        if (!_options.Atomic || _movedIntoPlace)
        {
            return;
        }

        if (!_options.Overwrite && File.Exists(_path))
        {
            throw new RecordingFormatException(_path, 0, "appeared while starting; not overwritten (use --force)");
        }

        File.Move(_writePath, _path, overwrite: true);
        _movedIntoPlace = true;
    }

    /// <summary>Finishes the file; for atomic writers, moves it into place.</summary>
    public async ValueTask CompleteAsync()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        await CloseAsync().ConfigureAwait(false);
        if (_options.Atomic && !_movedIntoPlace)
        {
            if (!_options.Overwrite && File.Exists(_path))
            {
                File.Delete(_writePath);
                throw new RecordingFormatException(_path, 0, "appeared while writing; not overwritten (use --force)");
            }

            File.Move(_writePath, _path, overwrite: true);
        }
    }

    /// <summary>Closes the file. An atomic writer that was not completed deletes its temporary file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        await CloseAsync().ConfigureAwait(false);
        if (_options.Atomic && !_movedIntoPlace)
        {
            File.Delete(_writePath);
        }
    }

    private async ValueTask CloseAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _json.DisposeAsync().ConfigureAwait(false);
        await _stream.FlushAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask WriteLineAsync(CancellationToken cancellationToken)
    {
        _json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        BytesWritten += _buffer.WrittenCount;
        await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
    }
}
