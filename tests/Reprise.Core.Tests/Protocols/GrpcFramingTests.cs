using Reprise.Core.Protocols;
using Xunit;

namespace Reprise.Core.Tests.Protocols;

public sealed class GrpcFramingTests
{
    [Fact]
    public void TryReadFrame_ReadsEachFrameWithItsFlags_AndStopsAtACutOne()
    {
        ReadOnlySpan<byte> body = [0, 0, 0, 0, 2, 0x08, 0x01, 1, 0, 0, 0, 1, 0xAA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0x01];

        Assert.True(GrpcFraming.TryReadFrame(ref body, out var flags, out var message));
        Assert.Equal(0, flags);
        Assert.Equal([0x08, 0x01], message.ToArray());
        Assert.True(GrpcFraming.TryReadFrame(ref body, out flags, out message));
        Assert.Equal(1, flags); // compressed
        Assert.Equal([0xAA], message.ToArray());
        Assert.True(GrpcFraming.TryReadFrame(ref body, out _, out message));
        Assert.True(message.IsEmpty);

        var cut = body.Length;
        Assert.False(GrpcFraming.TryReadFrame(ref body, out _, out _)); // says 9 bytes, 1 follows
        Assert.Equal(cut, body.Length); // left as it was

        ReadOnlySpan<byte> short4 = [0, 0, 0, 0];
        Assert.False(GrpcFraming.TryReadFrame(ref short4, out _, out _));
    }
}
