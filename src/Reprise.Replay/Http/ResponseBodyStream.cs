namespace Reprise.Replay.Http;

/// <summary>A read-only stream over the body of the response an <see cref="Http1ResponseReader"/> is reading (for decoders).</summary>
internal sealed class ResponseBodyStream(Http1ResponseReader reader) : ReadOnlyStream
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        buffer.IsEmpty ? ValueTask.FromResult(0) : reader.ReadBodyAsync(buffer);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the replay response body is read asynchronously");
}
