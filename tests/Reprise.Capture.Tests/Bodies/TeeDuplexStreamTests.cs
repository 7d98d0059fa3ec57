using Microsoft.Extensions.Time.Testing;
using Reprise.Capture.Bodies;
using Reprise.Capture.Tests.WebSockets;
using Reprise.Capture.WebSockets;
using Reprise.Core.Model;
using Xunit;

namespace Reprise.Capture.Tests.Bodies;

public sealed class TeeDuplexStreamTests
{
    private static readonly byte[] Mask = [0x37, 0xfa, 0x21, 0x3d];

    /// <summary>
    /// The client answers the server's greeting while the proxy's write of that greeting has not reported completion yet
    /// (on a loaded machine the write's continuation runs late, after the other direction read the answer): the greeting
    /// is still recorded first, so a replay waits for it before sending the answer (the flaky WebSocket loop test).
    /// </summary>
    [Fact]
    public async Task ServerMessage_WhoseWriteCompletesAfterTheClientsAnswer_IsStillRecordedFirst()
    {
        var time = new FakeTimeProvider();
        using var capture = new WebSocketCapture(long.MaxValue, null, time, time.GetTimestamp());
        var client = new SlowWriteStream(FrameWriter.Frame(1, true, "mug"u8, Mask));
        await using var tee = new TeeDuplexStream(client, capture);

        var writing = tee.WriteAsync(FrameWriter.Frame(1, true, """{"type":"hello"}"""u8, null), TestContext.Current.CancellationToken).AsTask();
        Assert.False(writing.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(3));
        var buffer = new byte[64];
        var read = await tee.ReadAsync(buffer, TestContext.Current.CancellationToken); // the client's answer arrives meanwhile
        Assert.True(read > 0);
        time.Advance(TimeSpan.FromMilliseconds(3));
        client.CompleteWrite();
        await writing;

        var messages = capture.Messages();
        Assert.Equal(2, messages.Length);
        Assert.Equal(WebSocketPeer.Server, messages[0].From);
        Assert.Equal(WebSocketPeer.Client, messages[1].From);
        Assert.True(messages[0].Offset < messages[1].Offset, $"{messages[0].Offset} < {messages[1].Offset}");
    }

    /// <summary>A client connection whose writes complete only when told to, and whose reads return one prepared chunk.</summary>
    private sealed class SlowWriteStream(byte[] toRead) : Stream
    {
        private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void CompleteWrite() => _written.TrySetResult();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => new(_written.Task);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_read)
            {
                return ValueTask.FromResult(0);
            }

            _read = true;
            toRead.CopyTo(buffer);
            return ValueTask.FromResult(toRead.Length);
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
