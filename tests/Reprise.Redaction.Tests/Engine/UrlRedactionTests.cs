using Reprise.Core.Model;
using Reprise.Redaction.Policy;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// URL redaction pinned on the shapes it must handle (userinfo, encoded and plain path segments, query and
/// fragment parameters, bare query values, relative and authority-only URLs, IPv6 hosts): the redacted URL, the
/// locations recorded, the same redaction for a URL header, and the very same string back when nothing changed.
/// </summary>
public sealed class UrlRedactionTests
{
    private static readonly RedactionPolicy SharedPolicy = RedactionPolicy.CreateDefault(RedactionKey.FromText("url-test-key-0123456789abcdef"));

    private static RedactionPolicy Policy => SharedPolicy.NewStream();

    [Theory]
    [InlineData("https://bob:hunter2pass@api.acme.test/v1/x", "https://bob:***********@api.acme.test/v1/x", "request.url:userinfo/password/mask")]
    [InlineData("https://bob@api.acme.test/v1/x", "https://bob@api.acme.test/v1/x", "")]
    [InlineData("https://ann.lee@gmail.com:pw@api.acme.test/", "https://tok_email_ngse6twfacw4vxwv%40redacted.example.com:**@api.acme.test/", "request.url:userinfo/email/tokenize request.url:userinfo/password/mask")]
    [InlineData("https://api.acme.test/users/ann.lee@gmail.com/orders", "https://api.acme.test/users/tok_email_ngse6twfacw4vxwv@redacted.example.com/orders", "request.url:path[2]/email/tokenize")]
    [InlineData("https://api.acme.test/u/ann.lee%40gmail.com", "https://api.acme.test/u/tok_email_ngse6twfacw4vxwv@redacted.example.com", "request.url:path[2]/email/tokenize")]
    [InlineData("https://api.acme.test/cards/4111111111111111", "https://api.acme.test/cards/************1111", "request.url:path[2]/card-number/mask")]
    [InlineData("https://api.acme.test/cb?code=Zx81kQp0aL2mNs7Vb3Tq&state=abc", "https://api.acme.test/cb?code=********************&state=abc", "request.url:query.code/url-secret/mask")]
    [InlineData("https://api.acme.test/cb#access_token=Zx81kQp0aL2mNs7Vb3TqZx81kQp0aL2mNs7Vb3Tq&token_type=bearer", "https://api.acme.test/cb#access_token=****************************************&token_type=bearer", "request.url:fragment.access_token/secret/mask")]
    [InlineData("https://api.acme.test/cb#ann.lee@gmail.com", "https://api.acme.test/cb#tok_email_ngse6twfacw4vxwv@redacted.example.com", "request.url:fragment/email/tokenize")]
    [InlineData("https://api.acme.test/orders?page=2", "https://api.acme.test/orders?page=2", "")]
    [InlineData("/relative/ann.lee@gmail.com?email=ann@x.io", "/relative/tok_email_ngse6twfacw4vxwv@redacted.example.com?email=tok_email_46gol2aqoz6ccwh2%40redacted.example.com", "request.url:path[2]/email/tokenize request.url:query.email/email/tokenize")]
    [InlineData("https://api.acme.test", "https://api.acme.test", "")]
    [InlineData("https://api.acme.test?email=ann.lee@gmail.com", "https://api.acme.test?email=tok_email_ngse6twfacw4vxwv%40redacted.example.com", "request.url:query.email/email/tokenize")]
    [InlineData("https://[::1]:8080/a/ann.lee@gmail.com", "https://[::1]:8080/a/tok_email_ngse6twfacw4vxwv@redacted.example.com", "request.url:path[2]/email/tokenize")]
    [InlineData("https://api.acme.test/a/%zz@bad.com/ann.lee@gmail.com?x=1#f", "https://api.acme.test/a/%zz@bad.com/tok_email_ngse6twfacw4vxwv@redacted.example.com?x=1#f", "request.url:path[3]/email/tokenize")]
    [InlineData("https://api.acme.test/search?q=call+me+at+%2B1+415-555-0132&token", "https://api.acme.test/search?q=call+me+at+%2B*+***-***-0132&token", "request.url:query.q/phone/mask")] // spaces stay '+'
    [InlineData("https://api.acme.test/search?q=call%20me%20at%20%2B1%20415-555-0132", "https://api.acme.test/search?q=call%20me%20at%20%2B*%20***-***-0132", "request.url:query.q/phone/mask")] // or %20
    [InlineData("", "", "")]
    [InlineData("https://api.acme.test/?ann.lee@gmail.com", "https://api.acme.test/?tok_email_ngse6twfacw4vxwv%40redacted.example.com", "request.url:query[0]/email/tokenize")]
    public void Url_RedactedAsPinned(string url, string expected, string locations)
    {
        var exchange = new Exchange
        {
            Id = "x",
            StartedAt = DateTimeOffset.UnixEpoch,
            Request = new ExchangeRequest { Method = "GET", Url = url, Headers = [new("Referer", url), new("Accept", "application/json")] },
        };

        var redacted = Policy.Redact(exchange);

        Assert.Equal(expected, redacted.Request.Url);
        Assert.Equal(expected, redacted.Request.Headers[0].Value);
        Assert.Equal(url == expected, ReferenceEquals(url, redacted.Request.Url));
        var urlLocations = redacted.Redactions.Where(r => r.Location.StartsWith("request.url", StringComparison.Ordinal)).Select(r => r.Location + "/" + r.Rule + "/" + r.Action);
        Assert.Equal(locations, string.Join(' ', urlLocations));
        var headerLocations = redacted.Redactions.Where(r => r.Location.StartsWith("request.header:referer", StringComparison.Ordinal)).Select(r => r.Location.Replace("request.header:referer", "request.url", StringComparison.Ordinal) + "/" + r.Rule + "/" + r.Action);
        Assert.Equal(locations, string.Join(' ', headerLocations));
    }
}
