using Reprise.Core.Protocols;
using Xunit;

namespace Reprise.Core.Tests.Protocols;

/// <summary>
/// QA round 12a (phpMyAdmin behind PHP's <c>ob_gzhandler</c>): the login's <c>302</c> carries a gzip stream of nothing,
/// 20 bytes on the wire. It decoded to zero bytes, which was taken for a failure: <c>record</c> logged the body as
/// <c>undecodable-body</c> and stored "dropped: the 'gzip' body could not be decoded for redaction". A complete gzip
/// member of an empty body (its trailer's CRC and size are zero) decodes to an empty body.
/// </summary>
public sealed class EmptyCompressedBodyTests
{
    [Fact]
    public void AGzipStreamOfAnEmptyBody_DecodesToNothing()
    {
        byte[] php = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // what `printf '' | gzip` writes

        Assert.Equal(ContentDecoding.Outcome.Decoded, ContentDecoding.TryDecode(php, "gzip", out var decoded, out _));
        Assert.Empty(decoded);
        byte[] zlibBest = Convert.FromHexString("1f8b080000000000020303000000000000000000"); // zlib at level 9 (XFL 2)
        Assert.Equal(ContentDecoding.Outcome.Decoded, ContentDecoding.TryDecode(zlibBest, "x-gzip", out decoded, out _));
        Assert.Empty(decoded);
    }

    [Fact]
    public void AGzipHeaderWithoutABody_OrGarbage_StillFails()
    {
        byte[] headerOnly = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03];
        byte[] garbage = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0];

        Assert.Equal(ContentDecoding.Outcome.Failed, ContentDecoding.TryDecode(headerOnly, "gzip", out _, out _));
        Assert.Equal(ContentDecoding.Outcome.Failed, ContentDecoding.TryDecode(garbage, "gzip", out _, out _));
    }
}
