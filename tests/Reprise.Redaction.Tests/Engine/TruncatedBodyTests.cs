using System.Text;
using CsCheck;
using Reprise.Core.Recording;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>A body cut at the capture cap is text only when it is UTF-8 up to the cut; otherwise binary, never decoded lossily.</summary>
public sealed class TruncatedBodyTests
{
    [Fact]
    public void TruncatedBinary_WithAPrintableSecret_MaskedInPlaceEveryOtherByteKept()
    {
        var bytes = new byte[64 * 1024];
        new Random(7).NextBytes(bytes);
        "ann.lee@gmail.com"u8.CopyTo(bytes.AsSpan(30_000));
        var exchange = Truncated(bytes, "application/octet-stream", size: 1_500_000);

        var body = Policies.Default.Redact(exchange).Response!.Body!;
        var stored = ExchangeJson.Parse(ExchangeJson.Serialize(exchange with { Response = exchange.Response! with { Body = body } })).Response!.Body!;

        Assert.Equal(bytes.Length, stored.Content.Length);
        Assert.Equal(-1, stored.Content.Span.IndexOf("ann.lee@gmail.com"u8));
        Assert.True(stored.Truncated);
        Assert.Equal(1_500_000, stored.Size);
        var content = stored.Content.Span;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] is < 0x20 or > 0x7E)
            {
                Assert.Equal(bytes[i], content[i]); // only printable runs may be masked (same length)
            }
        }
    }

    [Fact]
    public void TruncatedText_CutInsideACharacter_TextRedactedAndTheCutBytesKept()
    {
        var full = Encoding.UTF8.GetBytes("note: write to ann.lee@gmail.com, prix 5 €");
        var cut = full.AsSpan(0, full.Length - 1).ToArray(); // ends with E2 82
        var body = Policies.Default.Redact(Truncated(cut, "text/plain", size: 4096)).Response!.Body!;
        var content = body.Content.ToArray();

        Assert.Equal([0xE2, 0x82], content[^2..]);
        var text = Encoding.UTF8.GetString(content[..^2]);
        Assert.DoesNotContain("ann.lee", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', text);
        Assert.StartsWith("note: write to ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AnyBytesTruncatedAnywhere_UnredactedBodiesRoundTripByteExactly()
    {
        Gen.Byte.Array[1, 300].Select(Gen.Int[0, 1000], Gen.Bool, (bytes, cut, text) => (bytes, cut, text)).Sample(t =>
        {
            var source = t.text ? Encoding.UTF8.GetBytes("ok é 😀 " + Encoding.Latin1.GetString(t.bytes)) : t.bytes;
            var stored = source.AsSpan(0, 1 + (t.cut % source.Length)).ToArray();
            var exchange = Truncated(stored, "application/octet-stream", size: source.Length + 10);
            var redacted = Policies.Default.Redact(exchange);
            var body = ExchangeJson.Parse(ExchangeJson.Serialize(redacted)).Response!.Body!;
            // Unless a detector fired, the stored bytes are exactly the captured ones (no U+FFFD for invalid bytes).
            return !redacted.Redactions.IsEmpty || body.Content.Span.SequenceEqual(stored);
        }, iter: 2000);
    }

    private static Exchange Truncated(byte[] content, string mediaType, long size) =>
        Testing.Exchanges.Get("https://files.acme.test/mid.bin") is var e
            ? e with { Response = e.Response! with { Headers = [new("Content-Type", mediaType)], Body = new ExchangeBody { Content = content, MediaType = mediaType, Size = size, Truncated = true } } }
            : null!;
}
