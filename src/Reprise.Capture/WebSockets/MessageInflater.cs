using System.IO.Compression;

namespace Reprise.Capture.WebSockets;

/// <summary>
/// Inflates one direction's permessage-deflate messages (RFC 7692 section 7.2.2): compressed bytes are
/// pushed as frames arrive, and at the end of each message the 0x00 0x00 0xff 0xff tail the sender removed
/// is pushed back. With context takeover the inflater (and its 32 KB window) carries over to the next
/// message; without it, a fresh one starts. Output goes to the decoder in 16 KB pieces, never held whole.
/// </summary>
internal sealed class MessageInflater(bool noContextTakeover) : IDisposable
{
    /// <summary>
    /// Most bytes one message may inflate to. Past it the direction stops being decoded (a decompression
    /// bomb must not stall the relay, which waits for each chunk to be observed); forwarding is untouched.
    /// </summary>
    public const long MaxMessageBytes = 64L * 1024 * 1024;

    private static readonly byte[] Tail = [0x00, 0x00, 0xff, 0xff];
    private readonly FeedStream _feed = new();
    private readonly byte[] _output = new byte[16 * 1024];
    private DeflateStream? _inflater;
    private long _messageBytes;

    /// <summary>Inflates a piece of a compressed message into <paramref name="sink"/>.</summary>
    public void Push(ReadOnlySpan<byte> compressed, WebSocketFrameDecoder sink)
    {
        _inflater ??= new DeflateStream(_feed, CompressionMode.Decompress, leaveOpen: true);
        while (!compressed.IsEmpty)
        {
            var piece = compressed[..Math.Min(compressed.Length, FeedStream.Capacity)];
            _feed.Load(piece);
            compressed = compressed[piece.Length..];
            Drain(sink);
        }
    }

    /// <summary>Ends the message: pushes the removed tail and resets when the sender does not keep its context.</summary>
    public void EndMessage(WebSocketFrameDecoder sink)
    {
        Push(Tail, sink);
        _messageBytes = 0;
        if (noContextTakeover || _feed.Pending > 0)
        {
            // No context takeover, or the sender ended with a final block (BFINAL): the next message
            // starts a new deflate stream.
            _inflater?.Dispose();
            _inflater = null;
            _feed.Clear();
        }
    }

    public void Dispose() => _inflater?.Dispose();

    private void Drain(WebSocketFrameDecoder sink)
    {
        int read;
        while ((read = _inflater!.Read(_output, 0, _output.Length)) > 0)
        {
            _messageBytes += read;
            if (_messageBytes > MaxMessageBytes)
            {
                throw new InvalidDataException($"a compressed message inflates past {MaxMessageBytes / (1024 * 1024)} MiB (decompression bomb?)");
            }

            sink.AppendMessageBytes(_output.AsSpan(0, read));
        }
    }

    /// <summary>The inflater's input: whatever was loaded last; reading past it returns 0 ("no more for now").</summary>
    private sealed class FeedStream : Stream
    {
        public const int Capacity = 16 * 1024;
        private readonly byte[] _buffer = new byte[Capacity];
        private int _start, _end;

        public int Pending => _end - _start;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Load(ReadOnlySpan<byte> bytes)
        {
            if (Pending > 0)
            {
                // The inflater stopped consuming (a final block ended the stream): what is left is not part of it.
                Clear();
            }

            bytes.CopyTo(_buffer);
            _start = 0;
            _end = bytes.Length;
        }

        public void Clear() => _start = _end = 0;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, Pending);
            _buffer.AsSpan(_start, n).CopyTo(buffer);
            _start += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
