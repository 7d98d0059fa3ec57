using Reprise.Core.Model;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests;

/// <summary>
/// Review of QA rounds 13a-13c's redaction changes: the "a lower-case word after the scheme is prose" rule left a
/// credential made of lower-case letters raw after <c>Bearer</c> (it was masked before); a JSON-RPC batch
/// (<c>[{"method": "auth.login", …}]</c>) and a change-password call kept their positional passwords raw; a dotted key under
/// a wrapper (<c>{"data": {"user.profile": {"name": …}}}</c>) was read as a map's key and its person's name and id went raw;
/// an IPv4 address in a CSV row of decimals (<c>81.2.69.160,0.52,1.75,2.25</c>) was read as SVG path data and kept raw.
/// </summary>
public sealed class ReviewFindings13b
{
    private static List<string> Found(string text)
    {
        var matches = new List<(int Start, int Length)>();
        new BearerTokenDetector().Find(text, matches);
        return matches.ConvertAll(m => text.Substring(m.Start, m.Length));
    }

    [Theory]
    [InlineData("Authorization: Bearer qwertyuiopasdfghjklzxcv\r\nHost: api.test", "qwertyuiopasdfghjklzxcv")]
    [InlineData("curl -H 'Authorization: Bearer mysecretaccesstoken' http://x", "mysecretaccesstoken")]
    [InlineData("{\"auth\": \"Bearer kqzvhtrwpmxnbyfjdlcs\"}", "kqzvhtrwpmxnbyfjdlcs")]
    [InlineData("use Bearer kqzvhtrwpmxnbyfjdlcsgaeoiu for the call", "kqzvhtrwpmxnbyfjdlcsgaeoiu")]
    public void ALowerCaseCredential_AfterTheScheme_IsStillFound(string text, string credential) =>
        Assert.Equal([credential], Found(text));

    [Theory]
    [InlineData("This module presents basic performance metrics of the disks.")]
    [InlineData("Bonds payable to bearer instruments are listed here.")]
    [InlineData("Token validation happens on every call.")]
    [InlineData("It shows basic performance, memory and disks.")]
    public void AWordInProse_IsStillProse(string text) => Assert.Empty(Found(text));

    private static string RequestRedacted(string body)
    {
        var exchange = Testing.Exchanges.Send("POST", "http://rpc.test/json", "{}", "{\"result\": true, \"error\": null, \"id\": 2}", id: "j1");
        exchange = exchange with { Request = exchange.Request with { Body = ExchangeBody.FromText(body, "application/json") } };
        return Policies.RequestText(Policies.Default.Redact(exchange));
    }

    [Theory]
    [InlineData("[{\"jsonrpc\":\"2.0\",\"method\":\"auth.login\",\"params\":[\"Deluge-Pw-5521\"],\"id\":1}]", "Deluge-Pw-5521")]
    [InlineData("[{\"jsonrpc\":\"2.0\",\"method\":\"system.ping\",\"id\":1},{\"jsonrpc\":\"2.0\",\"method\":\"user.login\",\"params\":[\"maria\",\"Hunter2-Rpc!\"],\"id\":2}]", "Hunter2-Rpc!")]
    [InlineData("{\"method\": \"auth.change_password\", \"params\": [\"Old-Pw-1234\", \"New-Pw-5678\"], \"id\": 4}", "Old-Pw-1234")]
    [InlineData("{\"method\": \"auth.change_password\", \"params\": [\"Old-Pw-1234\", \"New-Pw-5678\"], \"id\": 4}", "New-Pw-5678")]
    [InlineData("{\"method\": \"user.setPassword\", \"params\": [\"maria\", \"New-Pw-5678\"], \"id\": 4}", "New-Pw-5678")]
    public void APositionalPassword_IsMasked(string body, string secret) =>
        Assert.DoesNotContain(secret, RequestRedacted(body), StringComparison.Ordinal);

    [Theory]
    [InlineData("[{\"jsonrpc\":\"2.0\",\"method\":\"core.get_config_value\",\"params\":[\"download_location\"],\"id\":1}]")]
    [InlineData("{\"method\": \"auth.password_policy\", \"params\": [], \"id\": 4}")]
    public void OtherCalls_AreLeftAlone(string body) => Assert.Equal(body, RequestRedacted(body));

    private static string ResponseRedacted(string url, string json) =>
        Policies.ResponseText(Policies.Default.Redact(Testing.Exchanges.Get(url, json)));

    private static string Html(string html)
    {
        var exchange = Testing.Exchanges.Get("http://app.test/login", "{}");
        exchange = exchange with { Response = exchange.Response! with { Body = ExchangeBody.FromText(html, "text/html; charset=utf-8") } };
        return Policies.ResponseText(Policies.Default.Redact(exchange));
    }

    [Fact]
    public void ADottedKeyUnderAWrapper_IsANamespacedField_AndItsPersonStaysRedacted() => Assert.DoesNotContain("Maria Gonzalez", ResponseRedacted("http://app.test/api/settings", """{"data": {"customer.billing": {"name": "Maria Gonzalez", "id": "c-7731"}}}"""), StringComparison.Ordinal);

    [Fact]
    public void ADottedKeyUnderAWrapper_KeepsItsAccountIdRedacted() => Assert.DoesNotContain("u-7731", ResponseRedacted("http://app.test/api/settings", """{"data": {"user.profile": {"name": "Maria Gonzalez", "id": "u-7731"}}}"""), StringComparison.Ordinal);

    [Fact]
    public void AMetaCsrfParam_KeepsTheParameterName_AndMasksTheToken()
    {
        var html = """<html><head><meta name="csrf-param" content="authenticity_token" /><meta name="csrf-token" content="Xq3kP9aZ0bC1dE2fG3hI4jK5lM6nO7pQ8rS9tU0vW1x" /></head></html>""";
        var body = Html(html);
        Assert.Contains("authenticity_token", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Xq3kP9aZ0bC1dE2fG3hI4jK5lM6nO7pQ8rS9tU0vW1x", body, StringComparison.Ordinal);
    }

    [Fact]
    public void AMetaDescriptionOrViewport_IsLeftAlone()
    {
        var html = """<html><head><meta name="description" content="Track issues for the billing team" /><meta name="viewport" content="width=device-width, initial-scale=1" /></head></html>""";
        Assert.Equal(html, Html(html));
    }

    [Fact]
    public void AnArgvFlagThatIsNoCredential_LeavesItsValue() => Assert.Equal("""{"cmdline": ["nginx", "-g", "daemon off;", "--user", "www-data"]}""", ResponseRedacted("http://app.test/api/procs", """{"cmdline": ["nginx", "-g", "daemon off;", "--user", "www-data"]}"""));

    [Fact]
    public void AnArgvPasswordFlag_MasksTheNextElement() => Assert.DoesNotContain("S3cret!", ResponseRedacted("http://app.test/api/procs", """{"cmdline": ["mysql", "--password", "S3cret!", "--host", "db"]}"""), StringComparison.Ordinal);

    [Fact]
    public void AFlagEndingItsArray_DoesNotReachTheNextArray() => Assert.Equal("""{"a": ["--password"], "b": ["keepme"]}""", ResponseRedacted("http://app.test/api/procs", """{"a": ["--password"], "b": ["keepme"]}"""));

    [Fact]
    public void AFlagFollowedByAnObject_DoesNotReachPastIt() => Assert.Equal("""{"a": ["--token", {"x": "keepme"}, "plain"]}""", ResponseRedacted("http://app.test/api/procs", """{"a": ["--token", {"x": "keepme"}, "plain"]}"""));

    [Fact]
    public void AQueryKeyInAPagesLinkOrText_IsMasked() => Assert.DoesNotContain("abcdef0123456789abcdef0123456789abcdef01", Html("""<html><body><a href="/issues.atom?key=abcdef0123456789abcdef0123456789abcdef01">Atom</a> <p>see http://app.test/feed?token=abcdef0123456789abcdef0123456789abcdef01 now</p></body></html>"""), StringComparison.Ordinal);

    [Theory]
    [InlineData("17,81.2.69.160,0.52,1.75,2.25\n", "81.2.69.160")]
    [InlineData("host 203.0.113.77 0.012 0.5 1.2 3.4", "203.0.113.77")]
    [InlineData("0.25;0.5;0.75;198.51.100.23;1.5", "198.51.100.23")]
    public void AnAddressAmongSeparatedNumbers_IsStillFound(string text, string address)
    {
        var matches = new List<(int Start, int Length)>();
        new IpAddressDetector().Find(text, matches);
        Assert.Contains(address, matches.ConvertAll(m => text.Substring(m.Start, m.Length)));
    }

    [Fact]
    public void AnXmlRpcPasswordMethod_HasItsPositionalPasswordsMasked()
    {
        const string body = "<?xml version='1.0'?>\n<methodCall><methodName>user.changePassword</methodName><params><param><value><string>Old-Pw-1234</string></value></param><param><value><string>New-Pw-5678</string></value></param></params></methodCall>";
        var exchange = Testing.Exchanges.Send("POST", "http://wiki.test/xmlrpc.php", "{}", "{}", id: "x1");
        exchange = exchange with { Request = exchange.Request with { Body = ExchangeBody.FromText(body, "text/xml") } };
        var text = Policies.RequestText(Policies.Default.Redact(exchange));
        Assert.DoesNotContain("Old-Pw-1234", text, StringComparison.Ordinal);
        Assert.DoesNotContain("New-Pw-5678", text, StringComparison.Ordinal);
    }
}
