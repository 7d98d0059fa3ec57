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
    public void TruncatedText_CutInsideACharacter_TextRedactedAndTheCutBytesDropped()
    {
        // Once the text was rewritten, the cut character's bytes may be part of a redacted value: not kept raw.
        var full = Encoding.UTF8.GetBytes("note: write to ann.lee@gmail.com, prix 5 €");
        var cut = full.AsSpan(0, full.Length - 1).ToArray(); // ends with E2 82
        var body = Policies.Default.Redact(Truncated(cut, "text/plain", size: 4096)).Response!.Body!;
        var content = body.Content.ToArray();

        Assert.True(System.Text.Unicode.Utf8.IsValid(content));
        var text = Encoding.UTF8.GetString(content);
        Assert.DoesNotContain("ann.lee", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', text);
        Assert.StartsWith("note: write to ", text, StringComparison.Ordinal);
        Assert.EndsWith("prix 5 ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedText_SecretCutInsideItsLastCharacter_NoRawBytesOfItKept()
    {
        // "tok_é..." style value: the redacted field ends in a multi-byte character cut at the cap.
        var full = Encoding.UTF8.GetBytes("{\"password\":\"hunter2xyz€");
        var cut = full.AsSpan(0, full.Length - 1).ToArray();
        var body = Policies.Default.Redact(Truncated(cut, "application/json", size: 4096)).Response!.Body!;
        var content = body.Content.ToArray();

        Assert.DoesNotContain("hunter2xyz", Encoding.UTF8.GetString(content), StringComparison.Ordinal);
        Assert.NotEqual([0xE2, 0x82], content[^2..]);
    }

    [Fact]
    public void TruncatedText_CutInsideACharacter_NothingToRedact_StoredByteExact()
    {
        var full = Encoding.UTF8.GetBytes("note: nothing secret here, prix 5 €");
        var cut = full.AsSpan(0, full.Length - 1).ToArray();
        var body = Policies.Default.Redact(Truncated(cut, "text/plain", size: 4096)).Response!.Body!;

        Assert.Equal(cut, body.Content.ToArray());
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
            // The one documented exception: bytes that open with a UTF-16 byte order mark (FE FF / FF FE) are
            // transcoded to UTF-8 with a note, so UTF-16 text is scanned rather than passed as binary (fail closed).
            var transcoded = stored.Length >= 2 && ((stored[0] == 0xFE && stored[1] == 0xFF) || (stored[0] == 0xFF && stored[1] == 0xFE))
                && body.Note?.Contains("transcoded from utf-16", StringComparison.Ordinal) == true;
            return !redacted.Redactions.IsEmpty || body.Content.Span.SequenceEqual(stored) || transcoded;
        }, iter: 2000);
    }

    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json", false)]
    [InlineData("application/vnd.api+json; charset=windows-1252", true)]
    [InlineData("text/plain", true)]
    public void TextMediaType_WithAStrayNonUtf8Byte_StillRedactedByFieldRules(string mediaType, bool truncated)
    {
        // Windows-1252 JSON: "Café" is C3-less 0xE9. Not UTF-8, but the media type says text: the JSON field
        // rules and detectors must still run (binary handling would only mask printable runs by pattern).
        byte[] content = [.. "{\"venue\":\"Caf"u8, 0xE9, .. "\",\"customer\":{\"name\":\"Alice Johnson\",\"password\":\"hunter2xyz\"},\"items\":[{\"sku\":\"A-1\"}]}"u8];
        var exchange = Truncated(content, mediaType, size: truncated ? 1_000_000 : content.Length) is var e && !truncated
            ? e with { Response = e.Response! with { Body = e.Response.Body! with { Truncated = false } } }
            : e;

        var body = Policies.Default.Redact(exchange).Response!.Body!;
        var text = Encoding.UTF8.GetString(body.Content.Span);

        Assert.DoesNotContain("Alice Johnson", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2xyz", text, StringComparison.Ordinal);
        Assert.Contains("\"sku\":\"A-1\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TextMediaType_WithAStrayNonUtf8Byte_NothingToRedact_StoredByteExact()
    {
        byte[] content = [.. "{\"venue\":\"Caf"u8, 0xE9, .. "\",\"count\":3,\"items\":[{\"sku\":\"A-1\"}"u8, 0xE2, 0x82];
        var body = Policies.Default.Redact(Truncated(content, "application/json", size: 1_000_000)).Response!.Body!;

        Assert.Equal(content, body.Content.ToArray());
    }

    [Fact]
    public void Latin1Text_WithAnEmail_EmailTokenizedEveryOtherByteKept()
    {
        // An ISO-8859-1 body (Express res.send(Buffer) with charset=iso-8859-1): it used to be stored as UTF-8 with
        // U+FFFD for every accented letter, under a charset header that still said ISO-8859-1.
        var content = Encoding.Latin1.GetBytes("Kundin aus Köln: <zoe.mueller@gmail.com>, Zoë, Straße 5");
        var exchange = Truncated(content, "text/plain; charset=iso-8859-1", size: content.Length) is var e
            ? e with { Response = e.Response! with { Body = e.Response.Body! with { Truncated = false } } }
            : null!;

        var body = Policies.Default.Redact(exchange).Response!.Body!;
        var text = Encoding.Latin1.GetString(body.Content.Span);

        Assert.DoesNotContain("zoe.mueller", text, StringComparison.Ordinal);
        Assert.Matches("^Kundin aus Köln: <tok_email_[a-z2-7]{16}@redacted.example.com>, Zoë, Straße 5$", text);
        Assert.Equal("text/plain; charset=iso-8859-1", body.MediaType);
    }

    [Fact]
    public void BinaryBytesSentAsText_Truncated_OnlyTheRedactedValueChanges()
    {
        // curl --data-binary @file.bin sends application/x-www-form-urlencoded; text/plain uploads do the same.
        // A detector firing somewhere in the bytes used to turn the whole stored body into lossy UTF-8.
        var random = new Random(7);
        var before = new byte[5000];
        var after = new byte[5000];
        random.NextBytes(before);
        random.NextBytes(after);

        foreach (var (mediaType, value) in new[] { ("text/plain", " ann.lee@gmail.com "), ("application/x-www-form-urlencoded", "&contact=ann.lee@gmail.com&") })
        {
            byte[] content = [.. before, .. Encoding.ASCII.GetBytes(value), .. after];
            var body = Policies.Default.Redact(Truncated(content, mediaType, size: 3_000_000)).Response!.Body!;
            var stored = body.Content.ToArray();

            Assert.Equal(before, stored[..before.Length]);
            Assert.Equal(after, stored[^after.Length..]);
            Assert.DoesNotContain("ann.lee", Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        }
    }

    private static Exchange Truncated(byte[] content, string mediaType, long size) =>
        Testing.Exchanges.Get("https://files.acme.test/mid.bin") is var e
            ? e with { Response = e.Response! with { Headers = [new("Content-Type", mediaType)], Body = new ExchangeBody { Content = content, MediaType = mediaType, Size = size, Truncated = true } } }
            : null!;
}
