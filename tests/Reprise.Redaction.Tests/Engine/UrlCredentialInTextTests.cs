using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 10a (aria2's JSON-RPC with python-requests): <c>aria2.addUri(["http://bob:UriPass@127.0.0.1:7701/file.txt"])</c>
/// carries a password in the userinfo of a URL inside a JSON string. The request URL's userinfo password was masked,
/// a URL in a body, a header or a text line was not: the password reached the recording raw and <c>scan</c> said clean.
/// The password of <c>scheme://user:password@host</c> in any text is judged as a <c>password</c> field.
/// </summary>
public sealed class UrlCredentialInTextTests
{
    private static string RedactedRequest(string body, string contentType)
    {
        var exchange = Testing.Exchanges.Send("POST", "http://aria.test/jsonrpc", "{}", "{}", id: "u1");
        exchange = exchange with { Request = exchange.Request with { Body = ExchangeBody.FromText(body, contentType) } };
        return Policies.RequestText(Policies.Default.Redact(exchange));
    }

    [Theory]
    [InlineData("""{"method":"aria2.addUri","params":["token:x",["http://bob:UriPass-qa10a-77@127.0.0.1:7701/file.txt"],{"out":"b.txt"}]}""", "application/json")]
    [InlineData("""{"uri":"ftp://bob:UriPass-qa10a-77@files.example.net/pub/a.iso"}""", "application/json")]
    [InlineData("fetching https://bob:UriPass-qa10a-77@git.example.net/repo.git failed: 403", "text/plain")]
    [InlineData("<value><string>sftp://bob:UriPass-qa10a-77@10.0.0.5:22/home</string></value>", "text/xml")]
    [InlineData("""{"dsn":"postgres://bob:UriPass%40qa10a-77@db:5432/app?sslmode=off"}""", "application/json")]
    public void PasswordInAUrlsUserinfo_IsMasked_UserAndHostStay(string body, string contentType)
    {
        var text = RedactedRequest(body, contentType);

        Assert.DoesNotContain("UriPass", text, StringComparison.Ordinal);
        Assert.Contains("://bob:", text, StringComparison.Ordinal);
        Assert.Contains("@", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"uri":"http://127.0.0.1:7701/path@v2/file.txt","contact":"see http://host.example:8080/a?b=c"}""")]
    [InlineData("""{"uri":"http://bob@127.0.0.1:7701/file.txt"}""")]
    [InlineData("""{"time":"12:30:45","ratio":"3:2"}""")]
    public void UrlsWithoutAPassword_AreLeftAlone(string body)
    {
        Assert.Equal(body, RedactedRequest(body, "application/json"));
    }
}
