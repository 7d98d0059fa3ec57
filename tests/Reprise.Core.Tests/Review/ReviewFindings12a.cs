using System.IO.Compression;
using Reprise.Core.Protocols;
using Xunit;

namespace Reprise.Core.Tests.Review;

/// <summary>
/// Review of QA round 12a's a6f0c10: only a gzip member of nothing whose deflate data was the fixed block <c>03 00</c>
/// decoded to an empty body. The same empty body in the other codings (zlib's deflate <c>78 9c 03 00 00 00 00 01</c>, a
/// gzip member written at level 0 with a stored block, brotli's one-byte stream <c>3b</c>, zstd's empty frame) was still
/// "undecodable" and dropped; brotli's was even kept as the text ";". A cut stream still fails.
/// </summary>
public sealed class ReviewFindings12a
{
    private static byte[] EmptyBrotli()
    {
        using var output = new MemoryStream();
        using (new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
        }

        return output.ToArray();
    }

    [Theory]
    [InlineData("deflate", "789c030000000001")]
    [InlineData("deflate", "0300")]
    [InlineData("gzip", "1f8b0800000000000403010000ffff0000000000000000")]
    [InlineData("zstd", "28b52ffd240001000099e9d851")]
    [InlineData("br", "")]
    public void AnEmptyBodyInAnyCoding_DecodesToNothing(string coding, string hex)
    {
        var bytes = hex.Length == 0 ? EmptyBrotli() : Convert.FromHexString(hex);

        Assert.Equal(ContentDecoding.Outcome.Decoded, ContentDecoding.TryDecode(bytes, coding, out var decoded, out _));
        Assert.Empty(decoded);
    }

    [Theory]
    [InlineData("gzip", "1f8b08000000000000030300000000000000")]
    [InlineData("gzip", "1f8b080000000000000303")]
    [InlineData("gzip", "1f8b080000000000000301")]
    [InlineData("deflate", "789c")]
    [InlineData("deflate", "789c0300")]
    [InlineData("deflate", "789c030000")]
    [InlineData("zstd", "28b52ffd24")]
    [InlineData("zstd", "28b52ffd240001000099")]
    [InlineData("br", "ff")]
    public void ACutStreamOfNothing_StillFails(string coding, string hex) =>
        Assert.Equal(ContentDecoding.Outcome.Failed, ContentDecoding.TryDecode(Convert.FromHexString(hex), coding, out _, out _));
}
