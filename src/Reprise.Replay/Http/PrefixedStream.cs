namespace Reprise.Replay.Http;

/// <summary>A read-only stream that returns bytes already read from <paramref name="inner"/> (which it owns) before the rest of it.</summary>
internal sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream inner) : ReadOnlyStream
{
    private int _prefixOffset;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return ValueTask.FromResult(0);
        }

        if (_prefixOffset < prefixLength)
        {
            var n = Math.Min(buffer.Length, prefixLength - _prefixOffset);
            prefix.AsSpan(_prefixOffset, n).CopyTo(buffer.Span);
            _prefixOffset += n;
            return ValueTask.FromResult(n);
        }

        return inner.ReadAsync(buffer, cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_prefixOffset < prefixLength)
        {
            var n = Math.Min(count, prefixLength - _prefixOffset);
            prefix.AsSpan(_prefixOffset, n).CopyTo(buffer.AsSpan(offset, n));
            _prefixOffset += n;
            return n;
        }

        return inner.Read(buffer, offset, count);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
