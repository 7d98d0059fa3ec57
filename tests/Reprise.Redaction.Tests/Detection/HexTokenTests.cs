using Reprise.Core.Model;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

/// <summary>
/// QA round 12a (phpMyAdmin 5.2): its session's anti-forgery <c>token</c> is 16 random printable characters written in
/// hex, so every other digit is 2-7 and the 32 characters often spread over fewer than 3 bits each. The secret detector
/// judged a value under <c>token</c> by that spread alone: <c>263553777764223a23235736287b4a3b</c> (2.93 bits) read as
/// not random and stayed raw in every form, link and script of the session (85 times in one recording), while the login
/// page's token of the same kind (3.01 bits) was masked. A hex string of 16 or more characters that holds digits and
/// letters is machine-made (a hash, a key, a hex-encoded token) whatever its spread.
/// </summary>
public sealed class HexTokenTests
{
    private const string LowSpread = "263553777764223a23235736287b4a3b";

    [Theory]
    [InlineData(LowSpread)]
    [InlineData("21794a655156514a565f616a756b3557")]
    [InlineData("3a3b3c3d3e3f3a3b")]
    public void AHexStringOfSixteenOrMore_WithDigitsAndLetters_LooksRandom(string value) =>
        Assert.True(Entropy.LooksRandom(value));

    [Theory]
    [InlineData("refresh")] // a word
    [InlineData("12345678901234567890")] // digits only
    [InlineData("abcdefabcdefabcdef")] // letters only
    [InlineData("3a3b3c3d3e3f3a")] // shorter than 16
    [InlineData("aaaaaaaa11111111")] // two runs: no spread at all
    public void OtherValues_AreJudgedAsBefore(string value) =>
        Assert.False(Entropy.LooksRandom(value));

    [Fact]
    public void ALowSpreadHexToken_InAFormField_AScriptAndJson_IsMasked()
    {
        var html = $$"""<form><input type="hidden" name="token" value="{{LowSpread}}"></form><script>CommonParams.setAll({db:"",token:"{{LowSpread}}"});</script>""";
        var exchange = Testing.Exchanges.Get("http://pma.test/index.php?route=/", "{}", id: "h1");
        exchange = exchange with { Response = exchange.Response! with { Body = ExchangeBody.FromText(html, "text/html; charset=utf-8") } };

        var page = Policies.ResponseText(Policies.Default.Redact(exchange));
        var json = Policies.RequestText(Policies.Default.Redact(Policies.Json($$"""{"token":"{{LowSpread}}"}""")));

        Assert.DoesNotContain(LowSpread, page, StringComparison.Ordinal);
        Assert.DoesNotContain(LowSpread, json, StringComparison.Ordinal);
    }
}
