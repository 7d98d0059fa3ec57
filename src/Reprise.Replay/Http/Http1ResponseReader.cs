using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Reprise.Core.Model;

namespace Reprise.Replay.Http;

/// <summary>
/// An allocation-free HTTP/1.x response parser over a pooled receive buffer (RFC 9112): status line,
/// header fields (materialised as strings only when asked), Content-Length, chunked bodies with trailers,
/// bodies without framing read until close, and interim 1xx responses (incl. 100-continue) skipped.
/// Obsolete line folding in header and trailer fields is accepted (each fold's CR LF read as spaces) and
/// the reason phrase is kept verbatim (empty when missing), both as SocketsHttpHandler reports them.
/// Bytes may arrive split anywhere; the result is the same. One response at a time; not thread-safe.
/// Errors are the exceptions SocketsHttpHandler raises for the same input, so they classify the same.
/// </summary>
internal sealed class Http1ResponseReader : IDisposable
{
    /// <summary>SocketsHttpHandler's default MaxResponseHeadersLength (64 KiB); also bounds one chunk or trailer line.</summary>
    public const int MaxHeadLength = 64 * 1024;

    private const string SendError = "An error occurred while sending the request.";
    private const int DirectReceiveMinimum = 1024;
    private readonly IResponseSource _source;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private long _remaining;
    private ChunkState _chunk;
    private bool _materialize;
    private bool _headRequest;
    private bool _eof;

    public Http1ResponseReader(IResponseSource source, int bufferSize = 16 * 1024)
    {
        _source = source;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    private enum ChunkState
    {
        Size,
        Data,
        DataEnd,
        Trailers,
        Done,
    }

    public ResponseHead Head { get; } = new();

    /// <summary>Bytes received since <see cref="ReadHeadAsync"/> began (0: nothing of the response arrived).</summary>
    public long Received { get; private set; }

    /// <summary>True when bytes past the response are buffered: the server sent more than it framed, so the connection cannot be reused.</summary>
    public bool HasUnreadBytes => _end > _start;

    /// <summary>Forgets the previous response's byte count before a new request is sent on this connection.</summary>
    public void BeginRequest() => Received = 0;

    /// <summary>True once the whole body has been read.</summary>
    public bool BodyComplete { get; private set; }

    /// <summary>Reads the final response head; interim 1xx responses are consumed and skipped.</summary>
    public async ValueTask ReadHeadAsync(bool headRequest, bool materialize)
    {
        BeginHead(headRequest, materialize);
        while (!TryReadHead())
        {
            if (await FillAsync().ConfigureAwait(false) == 0)
            {
                throw HeadEnded();
            }
        }
    }

    /// <summary>
    /// Starts reading a response head without an async call per layer: call <see cref="TryReadHead"/> until it
    /// returns true, and between calls receive into <see cref="ReceiveBuffer"/> and pass the count to
    /// <see cref="CommitHeadBytes"/>. Equivalent to <see cref="ReadHeadAsync"/> (which is built on it).
    /// </summary>
    public void BeginHead(bool headRequest, bool materialize)
    {
        Received = 0;
        _materialize = materialize;
        _headRequest = headRequest;
        BodyComplete = false;
        Head.Reset();
    }

    /// <summary>Parses the final response head from the buffered bytes (interim 1xx ones skipped); false when more bytes are needed.</summary>
    public bool TryReadHead()
    {
        while (true)
        {
            var consumed = TryParseHead();
            if (consumed < 0)
            {
                return false;
            }

            _start += consumed;
            if (Head.Status is >= 100 and < 200 && Head.Status != 101)
            {
                Head.Reset();
                continue; // interim (100 Continue, 103 Early Hints): the final response follows
            }

            EndHead();
            return true;
        }
    }

    /// <summary>Where the next receive of head bytes goes (the buffer compacted or grown first, as needed).</summary>
    public Memory<byte> ReceiveBuffer()
    {
        var offset = PrepareFill(); // may replace the buffer (grown)
        return _buffer.AsMemory(offset);
    }

    /// <summary>Accounts <paramref name="received"/> bytes received into <see cref="ReceiveBuffer"/>; 0 (end of stream) fails the response as <see cref="ReadHeadAsync"/> does.</summary>
    public void CommitHeadBytes(int received)
    {
        Received += received;
        _end += received;
        if (received == 0)
        {
            throw HeadEnded();
        }
    }

    private static HttpRequestException HeadEnded() =>
        new(HttpRequestError.ResponseEnded, SendError, new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely."));

    private void EndHead()
    {
        if (Head.Status == 101)
        {
            Head.Framing = BodyFraming.None;
            Head.Close = true; // switched protocols: the connection no longer speaks HTTP/1.1
        }
        else if (_headRequest || Head.Status is 204 or 304)
        {
            Head.Framing = BodyFraming.None;
        }
        else if (Head.Framing != BodyFraming.Chunked)
        {
            Head.Framing = Head.ContentLength >= 0 ? BodyFraming.Length : BodyFraming.UntilClose;
        }

        _remaining = Head.Framing == BodyFraming.Length ? Head.ContentLength : 0;
        _chunk = ChunkState.Size;
        _eof = false;
        if (Head.Framing == BodyFraming.UntilClose)
        {
            Head.Close = true;
        }

        BodyComplete = Head.Framing == BodyFraming.None || (Head.Framing == BodyFraming.Length && _remaining == 0);
    }

    /// <summary>Reads body bytes into <paramref name="destination"/>; 0 at the end of the body.</summary>
    public ValueTask<int> ReadBodyAsync(Memory<byte> destination) => ReadBodyCoreAsync(destination, discard: false);

    /// <summary>Reads and drops the rest of the body (the connection is then ready for the next request).</summary>
    public async ValueTask DrainBodyAsync()
    {
        while (await ReadBodyCoreAsync(Memory<byte>.Empty, discard: true).ConfigureAwait(false) > 0)
        {
        }
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<int> ReadBodyCoreAsync(Memory<byte> destination, bool discard)
    {
        while (!BodyComplete)
        {
            switch (Head.Framing)
            {
                case BodyFraming.None:
                    return 0;
                case BodyFraming.Length:
                    if (_remaining == 0)
                    {
                        BodyComplete = true;
                        return 0;
                    }

                    if (_end > _start)
                    {
                        return Take(destination, discard);
                    }

                    if (!discard && destination.Length >= DirectReceiveMinimum)
                    {
                        return await ReceiveDirectAsync(destination, premature: true).ConfigureAwait(false);
                    }

                    if (await FillAsync().ConfigureAwait(false) == 0)
                    {
                        throw new HttpIOException(HttpRequestError.ResponseEnded, $"The response ended prematurely, with at least {_remaining} additional bytes expected.");
                    }

                    break;
                case BodyFraming.UntilClose:
                    if (_end > _start)
                    {
                        _remaining = long.MaxValue;
                        return Take(destination, discard);
                    }

                    if (_eof || await FillAsync().ConfigureAwait(false) == 0)
                    {
                        _eof = true;
                        BodyComplete = true;
                        return 0;
                    }

                    break;
                default:
                    if (_chunk == ChunkState.Data)
                    {
                        if (_remaining == 0)
                        {
                            _chunk = ChunkState.DataEnd;
                            continue;
                        }

                        if (_end > _start)
                        {
                            return Take(destination, discard);
                        }

                        if (!discard && destination.Length >= DirectReceiveMinimum)
                        {
                            return await ReceiveDirectAsync(destination, premature: false).ConfigureAwait(false);
                        }
                    }
                    else if (AdvanceChunkFraming())
                    {
                        if (_chunk == ChunkState.Done)
                        {
                            BodyComplete = true;
                            return 0;
                        }

                        continue;
                    }

                    if (await FillAsync().ConfigureAwait(false) == 0)
                    {
                        throw new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
                    }

                    break;
            }
        }

        return 0;
    }

    private int Take(Memory<byte> destination, bool discard)
    {
        var available = _end - _start;
        var n = (int)Math.Min(available, _remaining);
        if (!discard)
        {
            n = Math.Min(n, destination.Length);
            _buffer.AsSpan(_start, n).CopyTo(destination.Span);
        }

        _start += n;
        _remaining -= n;
        return n;
    }

    private async ValueTask<int> ReceiveDirectAsync(Memory<byte> destination, bool premature)
    {
        var n = await _source.ReceiveAsync(destination[..(int)Math.Min(destination.Length, _remaining)]).ConfigureAwait(false);
        if (n == 0)
        {
            throw new HttpIOException(HttpRequestError.ResponseEnded, premature
                ? $"The response ended prematurely, with at least {_remaining} additional bytes expected."
                : "The response ended prematurely.");
        }

        Received += n;
        _remaining -= n;
        return n;
    }

    /// <summary>Receives more bytes into the buffer (compacting or growing it); 0 at end of stream.</summary>
    private async ValueTask<int> FillAsync()
    {
        var offset = PrepareFill();
        var n = await _source.ReceiveAsync(_buffer.AsMemory(offset)).ConfigureAwait(false);
        Received += n;
        _end += n;
        return n;
    }

    /// <summary>Makes room at the end of the buffer (compacting or growing it); returns where received bytes go.</summary>
    private int PrepareFill()
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(Http1ResponseReader));
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == buffer.Length)
        {
            if (_start > 0)
            {
                buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
                _end -= _start;
                _start = 0;
            }
            else
            {
                if (buffer.Length >= MaxHeadLength)
                {
                    throw new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded, $"The HTTP response headers length exceeded the set limit of {MaxHeadLength} bytes.");
                }

                var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, _end).CopyTo(bigger);
                _buffer = bigger;
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return _end;
    }

    /// <summary>Parses a complete head from the buffer; returns its length, or -1 when more bytes are needed.</summary>
    private int TryParseHead()
    {
        var data = _buffer.AsSpan(_start, _end - _start);
        var end = FindHeadEnd(data);
        if (end < 0)
        {
            return -1;
        }

        var head = data[..end];
        var lineEnd = head.IndexOf((byte)'\n');
        ParseStatusLine(TrimCr(head[..lineEnd]));
        head = head[(lineEnd + 1)..];
        var close = false;
        var keepAlive = false;
        var lengthInvalid = false;
        while (true)
        {
            lineEnd = FoldedLineEnd(head, head.IndexOf((byte)'\n'));
            var line = TrimCr(head[..lineEnd]);
            head = head[(lineEnd + 1)..];
            if (line.IsEmpty)
            {
                break;
            }

            SplitField(line, out var name, out var value);
            switch (name.Length)
            {
                case 10 when Ascii.EqualsIgnoreCase(name, "connection"u8):
                    close |= ContainsToken(value, "close"u8);
                    keepAlive |= ContainsToken(value, "keep-alive"u8);
                    break;
                case 14 when Ascii.EqualsIgnoreCase(name, "content-length"u8):
                    if (Utf8Parser.TryParse(value, out long length, out var used) && used == value.Length && length >= 0 && (Head.ContentLength < 0 || Head.ContentLength == length))
                    {
                        Head.ContentLength = length;
                    }
                    else
                    {
                        lengthInvalid = true;
                    }

                    break;
                case 17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8):
                    if (ContainsToken(value, "chunked"u8))
                    {
                        Head.Framing = BodyFraming.Chunked;
                    }

                    break;
            }

            if (_materialize)
            {
                Head.Headers.Add(new HeaderField(Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
            }
        }

        if (lengthInvalid)
        {
            Head.ContentLength = -1; // as SocketsHttpHandler: an unparsable length is no length (read until close)
        }

        // HTTP/1.0 closes after the response unless it says keep-alive (RFC 9112 §9.3).
        Head.Close = close || (Head.MinorVersion == 0 && !keepAlive);
        return end;
    }

    private void ParseStatusLine(ReadOnlySpan<byte> line)
    {
        // "HTTP/1.x SSS[ reason]"
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != ' '
            || !char.IsAsciiDigit((char)line[9]) || !char.IsAsciiDigit((char)line[10]) || !char.IsAsciiDigit((char)line[11])
            || (line.Length > 12 && line[12] != ' ') || line[9] == '0')
        {
            throw new HttpRequestException(HttpRequestError.InvalidResponse, $"Received an invalid status line: '{Encoding.Latin1.GetString(line)}'.");
        }

        Head.MinorVersion = line[7] - '0';
        Head.Status = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        if (_materialize)
        {
            // Kept verbatim (Latin-1, inner and trailing spaces included); a missing reason is empty, not the
            // status code's standard phrase, exactly as SocketsHttpHandler reports both.
            Head.Reason = line.Length > 12 ? Encoding.Latin1.GetString(line[13..]) : string.Empty;
        }
    }

    /// <summary>Consumes chunk-size lines, chunk ends and trailers from the buffer; false when more bytes are needed.</summary>
    private bool AdvanceChunkFraming()
    {
        var data = _buffer.AsSpan(_start, _end - _start);
        var lineEnd = data.IndexOf((byte)'\n');
        if (lineEnd >= 0 && _chunk == ChunkState.Trailers)
        {
            lineEnd = FoldedLineEnd(data, lineEnd); // trailer fields fold like header fields
        }

        if (lineEnd < 0)
        {
            return false;
        }

        var line = TrimCr(data[..lineEnd]);
        switch (_chunk)
        {
            case ChunkState.Size:
                var digits = line;
                var extension = digits.IndexOfAny((byte)';', (byte)' ', (byte)'\t');
                if (extension >= 0)
                {
                    digits = digits[..extension];
                }

                if (digits.IsEmpty || digits.Length > 15 || !Utf8Parser.TryParse(digits, out long size, out var used, 'x') || used != digits.Length)
                {
                    throw new HttpIOException(HttpRequestError.InvalidResponse, $"Received chunk header length could not be parsed: '{Encoding.Latin1.GetString(line)}'.");
                }

                _remaining = size;
                _chunk = size == 0 ? ChunkState.Trailers : ChunkState.Data;
                break;
            case ChunkState.DataEnd:
                if (!line.IsEmpty)
                {
                    throw new HttpIOException(HttpRequestError.InvalidResponse, "Received an invalid chunk terminator.");
                }

                _chunk = ChunkState.Size;
                break;
            default:
                if (line.IsEmpty)
                {
                    _chunk = ChunkState.Done;
                }
                else if (_materialize)
                {
                    SplitField(line, out var name, out var value);
                    Head.Trailers.Add(new HeaderField(Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
                }

                break;
        }

        _start += lineEnd + 1;
        return true;
    }

    private static void SplitField(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t' || line[colon - 1] is (byte)' ' or (byte)'\t')
        {
            throw new HttpRequestException(HttpRequestError.InvalidResponse, $"Received an invalid header line: '{Encoding.Latin1.GetString(line)}'.");
        }

        name = line[..colon];
        value = line[(colon + 1)..].Trim(" \t"u8);
    }

    /// <summary>
    /// The end of the field line ending at <paramref name="lineEnd"/> once its obsolete line folding
    /// (RFC 9112 §5.2: a following line that starts with SP or HTAB continues the value) is undone: each
    /// fold's CR and LF become spaces in place, so the value reads as one line with the continuation's own
    /// whitespace kept. -1 when a continuation is not complete in <paramref name="data"/> yet, or when the
    /// byte after the line is not there to tell.
    /// </summary>
    private static int FoldedLineEnd(Span<byte> data, int lineEnd)
    {
        if (lineEnd <= 0 || TrimCr(data[..lineEnd]).IsEmpty)
        {
            return lineEnd; // the blank line ends the section: nothing follows it that could fold
        }

        while (true)
        {
            if (lineEnd + 1 >= data.Length)
            {
                return -1;
            }

            if (data[lineEnd + 1] is not ((byte)' ' or (byte)'\t'))
            {
                return lineEnd;
            }

            var next = data[(lineEnd + 1)..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return -1;
            }

            data[lineEnd] = (byte)' ';
            if (data[lineEnd - 1] == '\r')
            {
                data[lineEnd - 1] = (byte)' ';
            }

            lineEnd += next + 1;
        }
    }

    /// <summary>The index just past the blank line ending the head, or -1.</summary>
    private static int FindHeadEnd(ReadOnlySpan<byte> data)
    {
        var first = data.IndexOf((byte)'\n');
        if (first < 0)
        {
            return -1;
        }

        var position = first + 1;
        while (position < data.Length)
        {
            if (data[position] == '\n')
            {
                return position + 1;
            }

            if (data[position] == '\r')
            {
                if (position + 1 == data.Length)
                {
                    return -1;
                }

                if (data[position + 1] == '\n')
                {
                    return position + 2;
                }
            }

            var next = data[position..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return -1;
            }

            position += next + 1;
        }

        return -1;
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) => line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;

    /// <summary>True when the comma-separated list <paramref name="value"/> holds <paramref name="token"/> (case-insensitive).</summary>
    private static bool ContainsToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        while (!value.IsEmpty)
        {
            var comma = value.IndexOf((byte)',');
            var item = (comma < 0 ? value : value[..comma]).Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(item, token))
            {
                return true;
            }

            value = comma < 0 ? ReadOnlySpan<byte>.Empty : value[(comma + 1)..];
        }

        return false;
    }
}
