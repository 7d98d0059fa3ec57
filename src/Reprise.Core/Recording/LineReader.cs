using System.Buffers;

namespace Reprise.Core.Recording;

/// <summary>
/// Splits a stream into '\n'-terminated lines over one pooled buffer that grows only to the longest
/// line, so memory is bounded by the largest exchange, never by the file.
/// </summary>
/// <remarks>
/// The file is read synchronously: a read from the page cache takes microseconds, while an
/// asynchronous file read on Unix is a thread-pool work item whose hand-off (and the pool's spinning
/// while it waits for the next one) cost more CPU than parsing the lines it returns.
/// </remarks>
internal sealed class LineReader : IDisposable
{
    private const int InitialSize = 64 * 1024;
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    public LineReader(Stream stream)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    }

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>
    /// Reads the next line (without its '\n' or a trailing '\r'). Terminated is false
    /// for a last line that ends without '\n' (a torn write). The memory is valid until the next call.
    /// </summary>
    public (bool Found, ReadOnlyMemory<byte> Line, bool Terminated) ReadLine(CancellationToken cancellationToken)
    {
        var scanFrom = _start;
        while (true)
        {
            var newline = _buffer.AsSpan(scanFrom, _end - scanFrom).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                SkipByteOrderMark();
                var lineEnd = scanFrom + newline;
                var line = new ReadOnlyMemory<byte>(_buffer, _start, lineEnd - _start);
                _start = lineEnd + 1;
                LineNumber++;
                return (true, TrimCarriageReturn(line), true);
            }

            if (_eof)
            {
                if (_start == _end)
                {
                    return (false, default, false);
                }

                SkipByteOrderMark();
                var rest = new ReadOnlyMemory<byte>(_buffer, _start, _end - _start);
                _start = _end;
                LineNumber++;
                return (true, TrimCarriageReturn(rest), false);
            }

            // Everything up to _end has been scanned; after compaction only the new bytes need to be.
            Compact();
            scanFrom = _end;
            cancellationToken.ThrowIfCancellationRequested();
            var read = _stream.Read(_buffer.AsSpan(_end));
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>Files written by Windows tools may start with a UTF-8 byte order mark: skip it on line 1.</summary>
    private void SkipByteOrderMark()
    {
        if (LineNumber == 0 && _buffer.AsSpan(_start, _end - _start).StartsWith("\uFEFF"u8))
        {
            _start += 3;
        }
    }

    private static ReadOnlyMemory<byte> TrimCarriageReturn(ReadOnlyMemory<byte> line) =>
        line.Length > 0 && line.Span[^1] == (byte)'\r' ? line[..^1] : line;

    /// <summary>Moves unread bytes to the front and grows the buffer when it is full.</summary>
    private void Compact()
    {
        if (_start > 0)
        {
            var length = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, length);
            _start = 0;
            _end = length;
        }

        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }
}
