using System.Buffers;

namespace Reprise.Capture.Bodies;

/// <summary>
/// Keeps the first <see cref="Limit"/> bytes of a body that streams past, in pooled memory, and counts
/// the rest. Nothing is held back from the peer: the caller forwards every chunk and only copies the
/// head into this. Single writer; <see cref="Dispose"/> returns the buffer to the pool.
/// </summary>
internal sealed class BodyCapture : IDisposable
{
    private const int FirstRent = 4096;
    private byte[]? _buffer;
    private int _stored;

    public BodyCapture(long limit) => Limit = limit;

    /// <summary>Most bytes stored.</summary>
    public long Limit { get; }

    /// <summary>Every byte seen, stored or not.</summary>
    public long Size { get; private set; }

    /// <summary>True when more was seen than stored.</summary>
    public bool Truncated => Size > _stored;

    /// <summary>The stored head of the body.</summary>
    public ReadOnlySpan<byte> Stored => _buffer is null ? [] : _buffer.AsSpan(0, _stored);

    /// <summary>Notes one chunk that was forwarded.</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        Size += chunk.Length;
        var room = (int)Math.Min(Limit - _stored, chunk.Length);
        if (room <= 0)
        {
            return;
        }

        EnsureCapacity(_stored + room);
        chunk[..room].CopyTo(_buffer.AsSpan(_stored));
        _stored += room;
    }

    /// <summary>A copy of the stored bytes (exactly sized, owned by the exchange).</summary>
    public byte[] ToArray() => Stored.ToArray();

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (_buffer is not null && _buffer.Length >= needed)
        {
            return;
        }

        var size = (int)Math.Min(Math.Max(needed, Math.Max(FirstRent, (_buffer?.Length ?? 0) * 2)), Math.Max(Limit, needed));
        var next = ArrayPool<byte>.Shared.Rent(size);
        if (_buffer is { } old)
        {
            old.AsSpan(0, _stored).CopyTo(next);
            ArrayPool<byte>.Shared.Return(old);
        }

        _buffer = next;
    }
}
