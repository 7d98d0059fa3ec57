using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 13b (Deluge's web API with python-requests): <c>{"method": "auth.login", "params": ["Deluge-Pw-5521"], "id": 2}</c>
/// passes the password as a positional parameter, with no field name a detector could see: it reached the recording raw
/// (the wrong password tried before it too), and <c>scan</c> called the recording clean. A JSON-RPC login's string
/// parameters after the first (the user name) are passwords, as an XML-RPC login's are; a login with one parameter
/// names no user, so that one is the secret. Other calls are untouched.
/// </summary>
public sealed class JsonRpcLoginTests
{
    private static string Redacted(string body, Reprise.Redaction.Policy.RedactionPolicy? policy = null)
    {
        var exchange = Testing.Exchanges.Send("POST", "http://deluge.test/json", "{}", "{\"result\": true, \"error\": null, \"id\": 2}", id: "j1");
        exchange = exchange with { Request = exchange.Request with { Body = ExchangeBody.FromText(body, "application/json") } };
        return Policies.RequestText((policy ?? Policies.Default).Redact(exchange));
    }

    [Theory]
    [InlineData("{\"method\": \"auth.login\", \"params\": [\"Deluge-Pw-5521\"], \"id\": 2}", "{\"method\": \"auth.login\", \"params\": [\"**************\"], \"id\": 2}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"user.login\",\"params\":[\"maria\",\"Hunter2-Rpc!\"],\"id\":1}", "{\"jsonrpc\":\"2.0\",\"method\":\"user.login\",\"params\":[\"maria\",\"************\"],\"id\":1}")]
    [InlineData("{\"id\":7,\"params\":[\"admin\",\"S3cret-One\",\"S3cret-Two\"],\"method\":\"session.authenticate\"}", "{\"id\":7,\"params\":[\"admin\",\"**********\",\"**********\"],\"method\":\"session.authenticate\"}")]
    // A repeated "method": PHP and Python read the last one, so the server sees a login (review of the one-pass reader).
    [InlineData("{\"method\":\"ping\",\"method\":\"user.login\",\"params\":[\"Admin\",\"Zbx-Pw-77\"]}", "{\"method\":\"ping\",\"method\":\"user.login\",\"params\":[\"Admin\",\"*********\"]}")]
    public void ALoginsPositionalSecrets_AreMasked_InPlace(string body, string expected) =>
        Assert.Equal(expected, Redacted(body));

    [Theory]
    [InlineData("{\"method\": \"core.get_config_value\", \"params\": [\"download_location\"], \"id\": 8}")]
    [InlineData("{\"method\": \"auth.check_session\", \"params\": [], \"id\": 3}")]
    [InlineData("{\"method\": \"web.update_ui\", \"params\": [[\"name\", \"state\"], {}], \"id\": 9}")]
    [InlineData("{\"method\": \"auth.login\", \"params\": [{\"remember\": true}], \"id\": 2}")]
    public void OtherCalls_AreLeftAlone(string body) =>
        Assert.Equal(body, Redacted(body));

    [Fact]
    public void AKeepRuleOnTheParameter_Wins()
    {
        var policy = Policies.FromYaml("rules:\n  - {json: \"$.params[0]\", action: keep}\n");

        Assert.Contains("Deluge-Pw-5521", Redacted("{\"method\": \"auth.login\", \"params\": [\"Deluge-Pw-5521\"], \"id\": 2}", policy), StringComparison.Ordinal);
    }

    [Fact]
    public void AnXmlRpcLoginWithOneParameter_HasItMasked()
    {
        var exchange = Testing.Exchanges.Send("POST", "http://rpc.test/RPC2", "{}", "{}", id: "x1");
        const string body = "<?xml version='1.0'?>\n<methodCall><methodName>auth.login</methodName><params><param><value><string>Only-Secret-42</string></value></param></params></methodCall>";
        exchange = exchange with { Request = exchange.Request with { Body = ExchangeBody.FromText(body, "text/xml") } };

        var text = Policies.RequestText(Policies.Default.Redact(exchange));

        Assert.DoesNotContain("Only-Secret-42", text, StringComparison.Ordinal);
        Assert.Contains("<methodName>auth.login</methodName>", text, StringComparison.Ordinal);
    }
}
