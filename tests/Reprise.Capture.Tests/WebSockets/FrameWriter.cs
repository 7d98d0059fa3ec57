using System.Buffers.Binary;
using System.IO.Compression;

namespace Reprise.Capture.Tests.WebSockets;

/// <summary>Writes RFC 6455 frames (and RFC 7692 compressed payloads) for decoder tests.</summary>
internal static class FrameWriter
{
    /// <summary>One frame; client frames get a mask, <paramref name="longForm"/> forces the 64-bit length.</summary>
    public static byte[] Frame(int opcode, bool fin, ReadOnlySpan<byte> payload, byte[]? mask, bool rsv1 = false, bool longForm = false)
    {
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode) };
        var maskBit = mask is null ? 0 : 0x80;
        if (payload.Length < 126 && !longForm)
        {
            header.Add((byte)(maskBit | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue && !longForm)
        {
            header.Add((byte)(maskBit | 126));
            var length = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)payload.Length);
            header.AddRange(length);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            header.AddRange(length);
        }

        var body = payload.ToArray();
        if (mask is not null)
        {
            header.AddRange(mask);
            for (var i = 0; i < body.Length; i++)
            {
                body[i] ^= mask[i & 3];
            }
        }

        return [.. header, .. body];
    }

    /// <summary>A close frame payload: code then UTF-8 reason.</summary>
    public static byte[] ClosePayload(ushort code, string reason)
    {
        var bytes = new byte[2 + System.Text.Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, code);
        System.Text.Encoding.UTF8.GetBytes(reason, bytes.AsSpan(2));
        return bytes;
    }

    /// <summary>A permessage-deflate sender: with context takeover one deflate stream spans all messages.</summary>
    public sealed class Compressor(bool contextTakeover) : IDisposable
    {
        private readonly MemoryStream _output = new();
        private DeflateStream? _deflate;

        /// <summary>The compressed message with the 0x00 0x00 0xff 0xff tail removed (RFC 7692 section 7.2.1).</summary>
        public byte[] Compress(byte[] message)
        {
            _deflate ??= new DeflateStream(_output, CompressionLevel.Optimal, leaveOpen: true);
            _deflate.Write(message);
            _deflate.Flush(); // Z_SYNC_FLUSH: ends with 00 00 ff ff
            var bytes = _output.ToArray();
            _output.SetLength(0);
            if (!contextTakeover)
            {
                _deflate.Dispose();
                _deflate = null;
                _output.SetLength(0);
            }

            return bytes.AsSpan().EndsWith((byte[])[0, 0, 0xff, 0xff]) ? bytes[..^4] : bytes;
        }

        public void Dispose()
        {
            _deflate?.Dispose();
            _output.Dispose();
        }
    }
}
