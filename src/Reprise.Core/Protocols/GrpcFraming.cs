using System.Buffers.Binary;

namespace Reprise.Core.Protocols;

/// <summary>gRPC's length-prefixed message framing (a flags byte, a 4-byte big-endian length, the message).</summary>
public static class GrpcFraming
{
    /// <summary>The whole frames (messages) at the start of <paramref name="body"/>; a frame cut by the end is not counted.</summary>
    public static int CountFrames(ReadOnlySpan<byte> body)
    {
        var count = 0;
        while (TryReadFrame(ref body, out _, out _))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Reads the frame at the start of <paramref name="body"/> and slices it off; false (and <paramref name="body"/> left
    /// as it was) when fewer than five bytes remain or the length runs past the end. Bit 0 of <paramref name="flags"/>
    /// says the message is compressed.
    /// </summary>
    public static bool TryReadFrame(ref ReadOnlySpan<byte> body, out byte flags, out ReadOnlySpan<byte> message)
    {
        flags = 0;
        message = default;
        if (body.Length < 5)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(body[1..5]);
        if (length > (uint)(body.Length - 5))
        {
            return false;
        }

        flags = body[0];
        message = body.Slice(5, (int)length);
        body = body[(5 + (int)length)..];
        return true;
    }
}
