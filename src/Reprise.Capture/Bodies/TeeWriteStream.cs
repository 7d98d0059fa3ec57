namespace Reprise.Capture.Bodies;

/// <summary>
/// The response body as the forwarder writes it: each chunk goes to the client first, then into the capture. With a
/// <paramref name="lastWrite"/> hook, the write (or flush) that completes a body of known length calls it first, before
/// the client can have the whole response.
/// </summary>
internal sealed class TeeWriteStream(Stream inner, BodyCapture capture, LastWriteHook? lastWrite = null) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lastWrite?.Before(capture.Size + count);
        inner.Write(buffer, offset, count);
        capture.Append(buffer.AsSpan(offset, count));
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lastWrite?.Before(capture.Size + buffer.Length);
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        capture.Append(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        lastWrite?.Before(capture.Size);
        inner.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        lastWrite?.Before(capture.Size);
        return inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
