using System.Buffers.Binary;
using System.IO.Compression;

namespace Reprise.Core.Recording;

/// <summary>
/// .NET's <see cref="GZipStream"/> reports a truncated file as a clean end of stream. This wrapper
/// compares the bytes it decompressed with the ISIZE field of the gzip trailer (RFC 1952 §2.3.1, the
/// last four bytes of the file) and reports a mismatch as <see cref="InvalidDataException"/>, so a cut
/// <c>.gz</c> recording is an error instead of silently shorter data.
/// </summary>
internal sealed class GzipSizeCheckStream : Stream
{
    private readonly GZipStream _inner;
    private readonly uint _expectedSize;
    private uint _size;

    private GzipSizeCheckStream(GZipStream inner, uint expectedSize)
    {
        _inner = inner;
        _expectedSize = expectedSize;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Wraps a seekable gzip file; a non-seekable one gets no size check.</summary>
    public static Stream Open(Stream file)
    {
        if (!file.CanSeek || file.Length < 18)
        {
            return new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
        }

        Span<byte> trailer = stackalloc byte[4];
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(trailer);
        file.Seek(0, SeekOrigin.Begin);
        return new GzipSizeCheckStream(new GZipStream(file, CompressionMode.Decompress, leaveOpen: false), BinaryPrimitives.ReadUInt32LittleEndian(trailer));
    }

    public override int Read(byte[] buffer, int offset, int count) => Check(_inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Check(_inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Check(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private int Check(int read)
    {
        unchecked
        {
            _size += (uint)read;
        }

        if (read == 0 && _size != _expectedSize)
        {
            throw new InvalidDataException("gzip trailer size does not match the data: the file is truncated");
        }

        return read;
    }
}
