using System.Text.Json;
using CsCheck;
using Reprise.Redaction.Engine;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// A lone surrogate escape (<c>"\udc00"</c>) is valid JSON: JavaScript's <c>JSON.stringify</c> writes one for a string cut
/// inside an emoji. Reading it as a string threw, and the whole body was scanned as plain text: detectors that need a
/// field's name (a person's name, an account id) saw nothing, so one cut emoji anywhere kept every name in the body raw.
/// </summary>
public sealed class LoneSurrogateJsonTests
{
    [Theory]
    [InlineData("""{"preview":"Loved it \ud83d","customer":{"firstName":"Kenji","lastName":"Watanabe","customerId":"C-7781234"}}""")]
    [InlineData("""{"\udc00":1,"customer":{"firstName":"Kenji","lastName":"Watanabe","customerId":"C-7781234"}}""")]
    public void ALoneSurrogateElsewhere_TheBodyIsStillRedactedAsJson(string body)
    {
        var redacted = Policies.Default.Redact(Policies.Json("{}", body));
        var text = Policies.ResponseText(redacted);

        Assert.DoesNotContain("Watanabe", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Kenji", text, StringComparison.Ordinal);
        Assert.DoesNotContain("7781234", text, StringComparison.Ordinal);
        Assert.Contains(redacted.Redactions, r => r.Location.StartsWith("response.body:$.customer.", StringComparison.Ordinal));
        using var _ = JsonDocument.Parse(text); // still JSON, the surrogate escape as it was written
        Assert.Contains(body.Contains("\\ud83d", StringComparison.Ordinal) ? "\\ud83d" : "\\udc00", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"ok \ud83d", "ok \uFFFD")]
    [InlineData(@"\udc00\ud83d\ude00x", "\uFFFD\U0001F600x")]
    [InlineData(@"a\\udc00", "a\\udc00")] // an escaped backslash before "udc00": no escape at all
    [InlineData(@"\ud800\ud800", "\uFFFD\uFFFD")]
    public void LoneSurrogatesReplaced_ReadsEachUnpairedHalfAsReplacementCharacter(string raw, string expected)
    {
        Assert.Equal(expected, JsonStrings.LoneSurrogatesReplaced(System.Text.Encoding.UTF8.GetBytes(raw)));
    }

    /// <summary>On strings the reader can read, the lenient read is the reader's own.</summary>
    [Fact]
    public void Read_ValidStrings_EqualsGetString()
    {
        Gen.String.Sample(value =>
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(value);
            var reader = new Utf8JsonReader(json);
            reader.Read();
            Assert.Equal(value, JsonStrings.Read(ref reader));
            Assert.Equal(value, JsonStrings.LoneSurrogatesReplaced(reader.ValueSpan));
        }, iter: 5000);
    }
}
