using System.Text;
using CsCheck;
using Reprise.Core.Model;
using Reprise.Core.Recording;
using Reprise.Core.Text;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Text;

public sealed class Utf8CutTests
{
    [Fact]
    public void TextLength_TextCutInsideACharacter_IsTheTextBeforeIt()
    {
        var bytes = Encoding.UTF8.GetBytes("prix: 5 €"); // € is E2 82 AC
        Assert.Equal(bytes.Length, Utf8Cut.TextLength(bytes));
        Assert.Equal(bytes.Length - 3, Utf8Cut.TextLength(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Equal(bytes.Length - 3, Utf8Cut.TextLength(bytes.AsSpan(0, bytes.Length - 2)));
    }

    [Fact]
    public void TextLength_InvalidBeforeTheEnd_IsBinary()
    {
        Assert.Equal(-1, Utf8Cut.TextLength([(byte)'a', 0xFF, (byte)'b']));
        Assert.Equal(-1, Utf8Cut.TextLength([(byte)'a', 0x82])); // a lone continuation byte is not a cut character
        Assert.False(Utf8Cut.IsText([(byte)'a', 0xE2, 0x82], truncated: false));
        Assert.True(Utf8Cut.IsText([(byte)'a', 0xE2, 0x82], truncated: true));
    }

    [Fact]
    public void TextLength_AnyTextCutAnywhere_IsText()
    {
        Gen.String.Select(Gen.Int[0, 1000], (text, cut) => (text, cut)).Sample(t =>
        {
            var bytes = Encoding.UTF8.GetBytes(t.text);
            var length = bytes.Length == 0 ? 0 : t.cut % (bytes.Length + 1);
            var textLength = Utf8Cut.TextLength(bytes.AsSpan(0, length));
            return textLength >= 0 && textLength >= length - 3 && System.Text.Unicode.Utf8.IsValid(bytes.AsSpan(0, textLength));
        });
    }

    [Fact]
    public void Format_AnyBytesTruncatedAnywhere_RoundTripByteExactly()
    {
        Gen.Byte.Array[0, 400].Select(Gen.Int[0, 1000], Gen.Bool, (bytes, cut, text) => (bytes, cut, text)).Sample(t =>
        {
            // Half the cases are text (UTF-8 of random characters), half raw bytes; either cut at any point.
            var source = t.text ? Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(t.bytes) + "€ü😀") : t.bytes;
            var stored = source.AsSpan(0, source.Length == 0 ? 0 : t.cut % (source.Length + 1)).ToArray();
            var exchange = Exchanges.Get("http://a.test/") with
            {
                Response = new ExchangeResponse { Status = 200, Body = new ExchangeBody { Content = stored, Size = source.Length + 1_000_000, Truncated = true, MediaType = "application/octet-stream" } },
            };

            var line = ExchangeJson.Serialize(exchange);
            var body = ExchangeJson.Parse(line).Response!.Body!;
            var utf8 = Encoding.UTF8.GetString(line).Contains("\"encoding\":\"utf8\"", StringComparison.Ordinal);
            return body.Content.Span.SequenceEqual(stored) && body.Truncated && body.Size == source.Length + 1_000_000
                && utf8 == System.Text.Unicode.Utf8.IsValid(stored);
        });
    }
}
