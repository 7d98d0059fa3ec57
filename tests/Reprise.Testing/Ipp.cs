using System.Buffers.Binary;
using System.Text;

namespace Reprise.Testing;

/// <summary>Builders for IPP (<c>application/ipp</c>, RFC 8010) test messages.</summary>
public static class Ipp
{
    /// <summary>One attribute: its value tag, a 16-bit name length and the name, a 16-bit value length and the value.</summary>
    public static byte[] Attribute(byte tag, string name, byte[] value)
    {
        var n = Encoding.ASCII.GetBytes(name);
        var bytes = new byte[5 + n.Length + value.Length];
        bytes[0] = tag;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(1), (ushort)n.Length);
        n.CopyTo(bytes, 3);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(3 + n.Length), (ushort)value.Length);
        value.CopyTo(bytes, 5 + n.Length);
        return bytes;
    }

    /// <summary>One attribute whose value is UTF-8 text.</summary>
    public static byte[] Attribute(byte tag, string name, string value) => Attribute(tag, name, Encoding.UTF8.GetBytes(value));
}
