using System.Text;

namespace Reprise.Replay.Tests.Unit;

/// <summary>Builders of small protobuf messages and gRPC frames for tests (one-byte lengths, except <see cref="BigFrame"/>).</summary>
internal static class ProtobufBytes
{
    public static byte[] Text(string value) => Encoding.UTF8.GetBytes(value);

    /// <summary>A length-delimited field of fewer than 128 bytes.</summary>
    public static byte[] Field(int number, byte[] value) => [(byte)((number << 3) | 2), (byte)value.Length, .. value];

    /// <summary>A varint field.</summary>
    public static byte[] Varint(int number, ulong value)
    {
        var bytes = new List<byte> { (byte)(number << 3) };
        for (; value >= 0x80; value >>= 7)
        {
            bytes.Add((byte)(value | 0x80));
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    /// <summary>The content of a packed repeated varint field: the values' varints back to back.</summary>
    public static byte[] Packed(params ulong[] values)
    {
        var bytes = new List<byte>();
        foreach (var one in values)
        {
            var value = one;
            for (; value >= 0x80; value >>= 7)
            {
                bytes.Add((byte)(value | 0x80));
            }

            bytes.Add((byte)value);
        }

        return [.. bytes];
    }

    /// <summary>An uncompressed gRPC frame of a message of fewer than 256 bytes.</summary>
    public static byte[] Frame(byte[] message) => [0, 0, 0, 0, (byte)message.Length, .. message];

    /// <summary>An uncompressed gRPC frame of any length.</summary>
    public static byte[] BigFrame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }
}
