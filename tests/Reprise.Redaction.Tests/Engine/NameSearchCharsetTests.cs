using System.Text;
using CsCheck;
using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// A search typed into an old-style form served as ISO-8859-1 reaches the server as <c>?q=m%FCller</c>: the escape is a
/// Latin-1 byte, not UTF-8. The name-search pass decoded values as UTF-8 only (an invalid escape stays <c>%FC</c>), so the
/// word never read as <c>müller</c> and a redacted surname went to disk raw. A value whose escapes are not UTF-8 is read as
/// Latin-1, and the replacement written back in the value's own style; everything else in the value keeps its bytes.
/// </summary>
public sealed class NameSearchCharsetTests
{
    private static string NameToken(string word) =>
        System.Text.Json.JsonDocument.Parse(Policies.ResponseText(Policies.Default.Redact(Policies.Json("{}", $$"""{"lastName":"{{word}}"}""")))).RootElement.GetProperty("lastName").GetString()!;

    private static Reprise.Redaction.Policy.RedactionPolicy AfterMueller()
    {
        var policy = Policies.Default;
        policy.Redact(Policies.Json("{}", """{"customer":{"fullName":"Jonas Müller"}}"""));
        return policy;
    }

    [Theory]
    [InlineData("q=m%FCller", "q={0}")]
    [InlineData("q=M%fcller&page=2", "q={0}&page=2")]
    [InlineData("q=Jonas+M%FCller", "q={1}+{0}")]
    [InlineData("q=m%C3%BCller", "q={0}")] // UTF-8, as before
    [InlineData("q=%22M%FCller%22%20%28Kunde%29", "q=%22{0}%22%20%28Kunde%29")]
    public void ALatin1EncodedSurnameInASearch_GetsItsToken_AndTheRestKeepsItsBytes(string query, string expected)
    {
        var redacted = AfterMueller().Redact(Testing.Exchanges.Get("https://crm.acme.test/customers?" + query));

        Assert.Equal("https://crm.acme.test/customers?" + string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, NameToken("Müller"), NameToken("Jonas")), redacted.Request.Url);
        Assert.Contains(redacted.Redactions, r => r is { Location: "request.url:query.q", Rule: "carried:person-name" });
    }

    [Fact]
    public void ALatin1EncodedSurnameInASearchForm_IsReplacedToo()
    {
        var search = Testing.Exchanges.Get("https://crm.acme.test/search") is var e
            ? e with
            {
                Request = new ExchangeRequest
                {
                    Method = "POST",
                    Url = "https://crm.acme.test/search",
                    Headers = [new("Content-Type", "application/x-www-form-urlencoded; charset=iso-8859-1")],
                    Body = ExchangeBody.FromText("q=M%FCller&scope=all", "application/x-www-form-urlencoded"),
                },
            }
            : throw new InvalidOperationException();

        var redacted = AfterMueller().Redact(search);

        Assert.Equal("q=" + NameToken("Müller") + "&scope=all", Policies.RequestText(redacted));
    }

    /// <summary>Any value with no word of a redacted name, however it is encoded (Latin-1 or UTF-8 escapes, stray <c>%</c>, <c>+</c>, raw non-ASCII), keeps every byte.</summary>
    [Fact]
    public void AValueWithNoNameWord_IsByteForByteUnchanged()
    {
        var policy = AfterMueller();
        Unflagged(RawValue).Sample(value =>
        {
            var url = "https://crm.acme.test/customers?q=" + value + "&search=" + value;
            Assert.Equal(url, policy.Redact(Testing.Exchanges.Get(url)).Request.Url);
        }, iter: 400);
    }

    /// <summary>With the surname written in any charset and style among such text, only its escapes change: the token replaces exactly them.</summary>
    [Fact]
    public void AroundAReplacedWord_EveryByteIsKept()
    {
        var policy = AfterMueller();
        var token = NameToken("Müller");
        // A value is in one charset: around a UTF-8 word, no escape run that is not UTF-8 (that would make the value Latin-1).
        Gen.OneOf(
            Gen.Select(Unflagged(RawValue), Unflagged(RawValue), Gen.OneOfConst("M%FCller", "m%fcller", "Müller", "MÜLLER")),
            Gen.Select(Unflagged(Utf8Value), Unflagged(Utf8Value), Gen.OneOfConst("M%C3%BCller", "m%c3%bcller", "Müller"))).Sample((before, after, word) =>
        {
            var value = before + "+" + word + "+" + after;
            var url = "https://crm.acme.test/customers?q=" + value;
            Assert.Equal("https://crm.acme.test/customers?q=" + before + "+" + token + "+" + after, policy.Redact(Testing.Exchanges.Get(url)).Request.Url);
        }, iter: 300);
    }

    /// <summary>Decoding maps every character back to its escapes, and a value written back in its own style decodes to the same text.</summary>
    [Fact]
    public void PercentText_RoundTrips()
    {
        RawValue.Sample(raw =>
        {
            var decoded = Reprise.Redaction.Engine.PercentText.Decode(raw);
            Assert.Equal(0, decoded.RawIndex(0));
            Assert.Equal(raw.Length, decoded.RawIndex(decoded.Text.Length));
            for (var i = 0; i < decoded.Text.Length; i++)
            {
                Assert.True(decoded.RawIndex(i) <= decoded.RawIndex(i + 1));
            }

            // Written back in the value's charset and read in it again: the same text (a replacement is written so).
            var written = new StringBuilder();
            decoded.AppendEncoded(written, decoded.Text);
            Assert.Equal(decoded.Text, Reprise.Redaction.Engine.PercentText.Decode(written.ToString(), decoded.Latin1).Text);
        }, iter: 500);
    }

    /// <summary>
    /// Text with no word of "Jonas Müller": letters other than those words, digits, separators, <c>+</c>, a stray
    /// <c>%</c>, raw non-ASCII, and escapes of any byte (a Latin-1 run) or of UTF-8 text.
    /// </summary>
    private static readonly Gen<string> RawValue = Value(latin1: true);

    private static readonly Gen<string> Utf8Value = Value(latin1: false);

    /// <summary>
    /// Values the default policy leaves alone before it knows any name: the escapes can spell what another detector
    /// rightly selects (<c>%64%40x.zx</c> reads <c>d@x.zx</c>, an email), which is no concern of the name-search pass.
    /// </summary>
    private static Gen<string> Unflagged(Gen<string> values) => values.Where(v =>
    {
        var url = "https://crm.acme.test/customers?q=" + v + "&search=" + v;
        return Policies.Default.Redact(Testing.Exchanges.Get(url)).Request.Url == url;
    });

    private static Gen<string> Value(bool latin1) => Gen.OneOf(
            Gen.String[Gen.Char["xyzQWbcd0123456789-._~"], 1, 6],
            // A stray '%' before hex digits of the next part makes an escape: in a UTF-8 value only where it stays ASCII.
            latin1 ? Gen.OneOfConst("+", "%", "%2", "%zz", "é", "ß", "%20", "%2B", "%25", "*", "!", "'", "(", ")") : Gen.OneOfConst("+", "%zz", "é", "ß", "%20", "%2B", "%25", "*", "!", "'", "(", ")"),
            Gen.Byte[0, latin1 ? (byte)255 : (byte)127].Select(b => "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Byte[0, latin1 ? (byte)255 : (byte)127].Select(b => "%" + b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)),
            Gen.String[Gen.Char["äöüÄÖÜéèñçø€日本"], 1, 3].Select(s => string.Concat(Encoding.UTF8.GetBytes(s).Select(b => "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)))))
        .Array[0, 8].Select(parts => string.Concat(parts))
        .Where(v => !v.Contains('&', StringComparison.Ordinal) && !v.Contains('#', StringComparison.Ordinal));
}
