using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 10a (qBittorrent's WebUI API v2 with python-requests): a private tracker's announce URL
/// <c>http://tracker/announce?passkey=a1b2…</c> reached the recording raw 9 times: in a magnet link's <c>tr=</c> (a URL
/// percent-encoded inside a form value, and inside the JSON <c>magnet_uri</c> qBittorrent answers), in the trackers list
/// and in the uploaded .torrent file. <c>passkey</c> was no credential name, and a <c>key=value</c> written
/// percent-encoded inside another value (<c>tr=http%3A%2F%2F…%3Fpasskey%3Da1b2…</c>) was never read as a pair.
/// </summary>
public sealed class NestedUrlCredentialTests
{
    private const string Passkey = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    private static string Redacted(string body, string contentType)
    {
        var exchange = Testing.Exchanges.Send("POST", "http://qb.test/api/v2/torrents/add", "{}", "{}", id: "n1");
        exchange = exchange with { Request = exchange.Request with { Body = ExchangeBody.FromText(body, contentType) } };
        return Policies.RequestText(Policies.Default.Redact(exchange));
    }

    [Fact]
    public void PasskeyInAUrlInJson_IsMasked()
    {
        var text = Redacted("{\"url\":\"http://127.0.0.1:7701/announce?passkey=" + Passkey + "\",\"tier\":0}", "application/json");

        Assert.DoesNotContain(Passkey, text, StringComparison.Ordinal);
        Assert.Contains("/announce?passkey=", text, StringComparison.Ordinal);
    }

    [Fact]
    public void PasskeyPercentEncodedInsideAMagnetLinkInJson_IsMasked()
    {
        var text = Redacted("{\"magnet_uri\":\"magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=qa10a&tr=http%3a%2f%2f127.0.0.1%3a7701%2fannounce%3fpasskey%3d" + Passkey + "\"}", "application/json");

        Assert.DoesNotContain(Passkey, text, StringComparison.Ordinal);
        Assert.Contains("%2fannounce%3fpasskey%3d", text, StringComparison.Ordinal);
    }

    [Fact]
    public void PasskeyTwiceEncodedInAFormValue_IsMasked()
    {
        var magnet = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=qa10a&tr=" + Uri.EscapeDataString("http://127.0.0.1:7701/announce?passkey=" + Passkey);
        var text = Redacted("urls=" + Uri.EscapeDataString(magnet) + "&paused=true", "application/x-www-form-urlencoded");

        Assert.DoesNotContain(Passkey, text, StringComparison.Ordinal);
        Assert.EndsWith("&paused=true", text, StringComparison.Ordinal);
    }

    [Fact]
    public void PasskeyInABencodedAnnounceUrl_IsMaskedAtItsLength()
    {
        var text = Redacted("d8:announce71:http://127.0.0.1:7701/announce?passkey=" + Passkey + "10:created by6:qa10ae", "text/plain");

        Assert.DoesNotContain(Passkey, text, StringComparison.Ordinal);
        Assert.Equal("d8:announce71:http://127.0.0.1:7701/announce?passkey=".Length + Passkey.Length + "10:created by6:qa10ae".Length, text.Length);
    }

    [Fact]
    public void AnAccessTokenInAnEncodedReturnUrl_IsMasked()
    {
        var text = Redacted("{\"next\":\"/login?return_to=%2Fcallback%3Faccess_token%3DZ3hwX2FiY2RlZjAxMjM0NTY3ODlhYmNkZWY%26state%3D1\"}", "application/json");

        Assert.DoesNotContain("Z3hwX2FiY2RlZjAxMjM0NTY3ODlhYmNkZWY", text, StringComparison.Ordinal);
        Assert.Contains("%26state%3D1", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"magnet_uri\":\"magnet:?xt=urn:btih:abc&dn=qa10a%20report&tr=http%3a%2f%2f127.0.0.1%3a7701%2fannounce\"}")]
    [InlineData("{\"path\":\"/files/report%3Dfinal%20v2.txt\"}")]
    public void EncodedTextWithoutACredential_IsUnchanged(string body)
    {
        Assert.Equal(body, Redacted(body, "application/json"));
    }
}
