using System.IO.Compression;

namespace Reprise.Core.Protocols;

/// <summary>
/// <c>Content-Encoding: deflate</c> is meant to be zlib-wrapped (RFC 9110 section 8.4.1.2, RFC 1950),
/// but many servers send raw deflate (RFC 1951). The one test for which it is, used by every place
/// that decodes bodies (redaction and diff through <see cref="ContentDecoding"/>, replay's raw transport).
/// </summary>
public static class DeflateFraming
{
    /// <summary>Bytes of the body needed to decide (the zlib CMF and FLG bytes).</summary>
    public const int HeaderLength = 2;

    /// <summary>
    /// True when the body starts with a zlib header: CM = 8 (deflate), CINFO ≤ 7 (window ≤ 32 KB),
    /// (CMF·256 + FLG) divisible by 31, and no preset dictionary (FDICT, which HTTP never uses and
    /// which no decoder here could supply). Anything else, including fewer than two bytes, is raw.
    /// </summary>
    /// <remarks>
    /// A conforming raw stream cannot pass: CM = 8 needs BTYPE = 00 (stored) with a padding bit set,
    /// which encoders never write. Buffered decoding (<see cref="ContentDecoding"/>) still falls back
    /// to raw when zlib decoding yields nothing, so even such a stream decodes.
    /// </remarks>
    public static bool IsZlib(ReadOnlySpan<byte> start)
    {
        if (start.Length < HeaderLength)
        {
            return false;
        }

        int cmf = start[0], flg = start[1];
        return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0 && (flg & 0x20) == 0;
    }

    /// <summary>A decompressing stream over <paramref name="source"/>, whose first bytes are <paramref name="start"/>.</summary>
    public static Stream Decompress(Stream source, ReadOnlySpan<byte> start, bool leaveOpen = false) =>
        IsZlib(start)
            ? new ZLibStream(source, CompressionMode.Decompress, leaveOpen)
            : new DeflateStream(source, CompressionMode.Decompress, leaveOpen);
}
