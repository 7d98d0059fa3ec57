using System.IO.Compression;
using System.Text;
using CsCheck;
using Reprise.Core.Protocols;
using Xunit;

namespace Reprise.Core.Tests.Protocols;

public sealed class DeflateFramingTests
{
    [Theory]
    [InlineData(new byte[] { 0x78, 0x9c }, true)] // zlib default level
    [InlineData(new byte[] { 0x78, 0x01 }, true)]
    [InlineData(new byte[] { 0x78, 0xda }, true)]
    [InlineData(new byte[] { 0x58, 0x85 }, true)] // 8 KB window (CINFO 5)
    [InlineData(new byte[] { 0x08, 0x1d }, true)] // 256-byte window (CINFO 0)
    [InlineData(new byte[] { 0x88, 0x98 }, false)] // CINFO 8: a 64 KB window is not zlib (the core decoder used to accept it)
    [InlineData(new byte[] { 0x78, 0xbb }, false)] // FDICT: a preset dictionary HTTP never uses
    [InlineData(new byte[] { 0x78, 0x9d }, false)] // FCHECK wrong
    [InlineData(new byte[] { 0x79, 0x9c }, false)] // CM 9
    [InlineData(new byte[] { 0x78 }, false)] // too short to tell
    [InlineData(new byte[] { }, false)]
    [InlineData(new byte[] { 0xcb, 0x48 }, false)] // raw deflate of "hello"
    public void IsZlib_ChecksTheRfc1950Header(byte[] start, bool expected) =>
        Assert.Equal(expected, DeflateFraming.IsZlib(start));

    [Fact]
    public void IsZlib_TellsEveryEncodersOutputApart() =>
        Gen.Select(Gen.Byte.Array[1, 3000], Gen.Enum<CompressionLevel>(), Gen.Bool).Sample((data, level, zlib) =>
        {
            var compressed = Compress(data, level, zlib);
            Assert.Equal(zlib, DeflateFraming.IsZlib(compressed));
            Assert.Equal(ContentDecoding.Outcome.Decoded, ContentDecoding.TryDecode(compressed, "deflate", out var decoded, out _));
            Assert.Equal(data, decoded);
            using var stream = DeflateFraming.Decompress(new MemoryStream(compressed), compressed);
            using var output = new MemoryStream();
            stream.CopyTo(output);
            Assert.Equal(data, output.ToArray());
        });

    [Fact]
    public void ContentDecoding_RawStreamThatLooksLikeZlib_FallsBackToRaw()
    {
        // A stored block whose header byte has a padding bit set (0x08) and LEN 29: (0x08·256 + 29) % 31 == 0.
        var data = Encoding.ASCII.GetBytes("twenty-nine bytes of payload!");
        Assert.Equal(29, data.Length);
        byte[] raw = [0x08, 29, 0, 0xff - 29, 0xff, .. data, 0x01, 0x00, 0x00, 0xff, 0xff];
        Assert.True(DeflateFraming.IsZlib(raw));

        Assert.Equal(ContentDecoding.Outcome.Decoded, ContentDecoding.TryDecode(raw, "deflate", out var decoded, out _));
        Assert.Equal(data, decoded);
    }

    private static byte[] Compress(byte[] data, CompressionLevel level, bool zlib)
    {
        using var memory = new MemoryStream();
        using (Stream stream = zlib ? new ZLibStream(memory, level, leaveOpen: true) : new DeflateStream(memory, level, leaveOpen: true))
        {
            stream.Write(data);
        }

        return memory.ToArray();
    }
}
