using System.Buffers.Binary;

namespace Reprise.Capture.Recording;

/// <summary>
/// Exchange ids for live traffic (UUIDv7, 32 lower-case hex digits, the spelling of
/// <c>Guid.CreateVersion7(t).ToString("N")</c>); W3C trace/span ids come from <c>TraceContext</c>.
/// The random bits come from <see cref="Random.Shared"/> (a per-thread xoshiro generator seeded from the OS): these ids must be unique, not secret, and the
/// OS/OpenSSL generator behind <see cref="Guid.NewGuid"/> and <c>RandomNumberGenerator</c> cost a
/// system call or a library call on every request of the proxy's hot path.
/// </summary>
internal static class ExchangeIds
{
    /// <summary>A UUIDv7 for an exchange that started at <paramref name="startedAt"/> (RFC 9562 layout: 48-bit Unix ms, version 7, variant 10).</summary>
    public static string NewId(DateTimeOffset startedAt)
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes[6..]);
        var ms = startedAt.ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteInt64BigEndian(bytes[..8], ms << 16 | BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]));
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return Convert.ToHexStringLower(bytes);
    }
}
