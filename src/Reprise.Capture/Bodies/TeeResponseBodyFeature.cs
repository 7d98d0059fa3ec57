using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Reprise.Capture.Bodies;

/// <summary>
/// Replaces the response body feature for one request so whatever the forwarder writes is copied
/// (up to the cap) into a <see cref="BodyCapture"/>; start, flush and complete still reach the server,
/// so streaming responses (SSE, gRPC server streaming) are not buffered.
/// </summary>
#pragma warning disable CA1001 // the tee stream owns nothing: the server owns the inner stream
internal sealed class TeeResponseBodyFeature(IHttpResponseBodyFeature inner, BodyCapture capture, LastWriteHook? lastWrite = null) : IHttpResponseBodyFeature
{
    private readonly TeeWriteStream _stream = new(inner.Stream, capture, lastWrite);
    private PipeWriter? _writer;

    public Stream Stream => _stream;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public void DisableBuffering() => inner.DisableBuffering();

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(_stream, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }

        lastWrite?.Call();
        await inner.CompleteAsync().ConfigureAwait(false);
    }
}
#pragma warning restore CA1001
