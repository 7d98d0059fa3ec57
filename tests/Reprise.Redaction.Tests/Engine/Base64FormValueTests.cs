using System.Text;
using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 10a (aria2's JSON-RPC over GET: <c>/jsonrpc?method=aria2.getGlobalStat&amp;id=g&amp;params=WyJ0b2tlbjpT…</c>,
/// the params array base64-encoded): the rpc secret inside the base64 query value reached the recording as it was (a
/// grep for the secret finds nothing, a base64 decode finds it) and the replay authenticated with it. A query or form
/// value that is base64 of text is decoded, redacted as that text (as JSON when it is JSON) and encoded again, as a
/// base64 JSON string already was.
/// </summary>
public sealed class Base64FormValueTests
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string RedactedUrl(string url)
    {
        var exchange = Testing.Exchanges.Send("GET", url, "{}", "{}", id: "b1");
        return Policies.Default.Redact(exchange).Request.Url;
    }

    private static string DecodedParams(string url)
    {
        var value = Uri.UnescapeDataString(url[(url.IndexOf("params=", StringComparison.Ordinal) + 7)..].Split('&')[0]);
        return Encoding.UTF8.GetString(Convert.FromBase64String(value));
    }

    [Fact]
    public void QueryValue_Base64OfJsonWithASecret_IsRedactedInsideAndStaysBase64()
    {
        var url = "http://aria.test/jsonrpc?method=aria2.getGlobalStat&id=g&params=" + Uri.EscapeDataString(B64("""["token:SecretAria2-qa10a-xyz"]"""));

        var redacted = RedactedUrl(url);
        var decoded = DecodedParams(redacted);

        Assert.DoesNotContain("SecretAria2", decoded, StringComparison.Ordinal);
        Assert.StartsWith("[\"token:*", decoded, StringComparison.Ordinal);
        Assert.Contains("method=aria2.getGlobalStat&id=g&params=", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void QueryValue_Base64OfTextWithAnEmail_IsRedactedInside()
    {
        var url = "http://api.test/track?data=" + Uri.EscapeDataString(B64("signup by maria.gonzalez@mail.example.org from the landing page"));

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(Uri.UnescapeDataString(RedactedUrl(url).Split("data=")[1])));

        Assert.DoesNotContain("maria.gonzalez@mail.example.org", decoded, StringComparison.Ordinal);
        Assert.Contains("signup by ", decoded, StringComparison.Ordinal);
    }

    [Fact]
    public void FormBody_Base64OfJsonWithAPassword_IsRedactedInside()
    {
        var exchange = Testing.Exchanges.Send("POST", "http://api.test/submit", "{}", "{}", id: "b2");
        var body = "state=ok&payload=" + Uri.EscapeDataString(B64("""{"user":"qa","password":"Hunter2-Pass-qa10a"}"""));
        exchange = exchange with { Request = exchange.Request with { Body = ExchangeBody.FromText(body, "application/x-www-form-urlencoded") } };

        var text = Policies.RequestText(Policies.Default.Redact(exchange));
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(Uri.UnescapeDataString(text.Split("payload=")[1])));

        Assert.DoesNotContain("Hunter2", decoded, StringComparison.Ordinal);
        Assert.StartsWith("state=ok&payload=", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://api.test/page?cursor=eyJvZmZzZXQiOjIwfQ%3D%3D&limit=20")] // {"offset":20}
    [InlineData("http://api.test/blob?etag=d41d8cd98f00b204e9800998ecf8427e")]
    public void QueryValue_Base64WithNothingInside_IsUnchanged(string url)
    {
        Assert.Equal(url, RedactedUrl(url));
    }
}
