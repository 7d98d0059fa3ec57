namespace Reprise.Core.Protocols;

/// <summary>Protobuf wire-format primitives shared by the capabilities that read messages without a schema.</summary>
public static class ProtobufWire
{
    /// <summary>
    /// Reads a base-128 varint at <paramref name="position"/> and moves past it; false when the bytes end first or it runs
    /// past 64 bits (then <paramref name="position"/> is left wherever reading stopped).
    /// </summary>
    public static bool TryReadVarint(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < data.Length; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads a varint at the start of <paramref name="data"/> and slices it off (see <see cref="TryReadVarint(ReadOnlySpan{byte}, ref int, out ulong)"/>).</summary>
    public static bool TryReadVarint(ref ReadOnlySpan<byte> data, out ulong value)
    {
        var position = 0;
        var read = TryReadVarint(data, ref position, out value);
        data = data[position..];
        return read;
    }
}
