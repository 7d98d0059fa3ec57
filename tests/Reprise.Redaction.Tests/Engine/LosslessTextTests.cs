using System.Text;
using CsCheck;
using Reprise.Redaction.Engine;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>Non-UTF-8 text bodies decode so detectors see text, and encode back into exactly their own bytes.</summary>
public sealed class LosslessTextTests
{
    [Fact]
    public void AnyBytes_WithoutACharset_RoundTripExactly()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            if (LosslessText.TryDecode(bytes, "text/plain", out var text, out var encode))
            {
                Assert.Equal(bytes, encode(text));
            }
        }, iter: 2000);
    }

    [Fact]
    public void MixedUtf8AndInvalidBytes_DecodeTheValidTextAndEscapeTheRest()
    {
        byte[] bytes = [.. "Zoë "u8, 0xFC, 0xE2, 0x82, (byte)'x', .. "😀"u8, 0xF0];

        Assert.True(LosslessText.TryDecode(bytes, "text/plain", out var text, out var encode));

        Assert.Equal("Zoë \uF7FC\uF7E2\uF782x😀\uF7F0", text);
        Assert.Equal(bytes, encode(text));
        Assert.Equal([.. "Zoë "u8, 0xFC, .. "tok"u8], encode("Zoë \uF7FCtok"));
    }

    [Fact]
    public void ABodyWithAnEscapeCharacterOfItsOwn_HasNoLosslessDecoding()
    {
        Assert.False(LosslessText.TryDecode([0xFF, .. "\uF741"u8], "text/plain", out _, out _));
    }

    [Fact]
    public void AMegabyteOfBinaryText_IsDecodedWithoutAnAllocationPerCharacter()
    {
        // curl --data-binary @file.bin (form-urlencoded) goes through here: one string per character was ~40 MB of
        // garbage per megabyte redacted.
        var bytes = new byte[1 << 20];
        new Random(3).NextBytes(bytes);
        bytes.AsSpan().Replace((byte)0xEF, (byte)0xEE); // no valid U+F7xx (EF 9C..9F xx) of its own
        LosslessText.TryDecode(bytes, "text/plain", out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(LosslessText.TryDecode(bytes, "text/plain", out var text, out var encode));
        var decoding = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var back = encode(text);
        var encoding = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(bytes, back);
        Assert.True(decoding < 5L * bytes.Length, $"decoding allocated {decoding} bytes");
        Assert.True(encoding < 5L * bytes.Length, $"encoding allocated {encoding} bytes");
    }
}
