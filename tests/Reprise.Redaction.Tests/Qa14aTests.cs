using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests;

/// <summary>
/// QA round 14a (the Zabbix frontend's JSON-RPC API, python-requests): <c>{"method": "user.login", "params": {"username":
/// …, "password": …}}</c> answers the session token as the call's bare result, <c>{"result": "9b6a42ed…"}</c>, and every
/// later call sends it back as <c>"auth"</c>. The <c>auth</c> members were masked, the login's answer kept the token raw:
/// a live credential on disk that <c>scan</c> did not report, and replay had no masked credential to learn the new one at.
/// </summary>
public sealed class Qa14aTests
{
    private static Exchange Rpc(string request, string response) => Policies.Default.Redact(Policies.Json(request, response));

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"user.login\",\"params\":{\"username\":\"Admin\",\"password\":\"Zbx-Pw-1\"},\"id\":3}", "{\"jsonrpc\":\"2.0\",\"result\":\"9b6a42ed8c7664d40469d094fb24e4c4\",\"id\":3}")]
    [InlineData("{\"method\":\"session.authenticate\",\"params\":[\"admin\",\"pw-7781\"],\"id\":1}", "{\"id\":1,\"result\":\"Zq8vN2kLp4XrT7wB9sD1fG6h\",\"error\":null}")]
    public void ALoginCallsStringResult_IsTheSessionToken_AndMasked(string request, string response)
    {
        var redacted = Rpc(request, response);
        var text = Policies.ResponseText(redacted);

        Assert.DoesNotContain("9b6a42ed8c7664d40469d094fb24e4c4", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Zq8vN2kLp4XrT7wB9sD1fG6h", text, StringComparison.Ordinal);
        Assert.Contains("\"result\":\"****", text, StringComparison.Ordinal);
        Assert.True(redacted.Tags.ContainsKey(WellKnownTags.RedactedIssued), "the masked token is tagged as issued, for replay");
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"apiinfo.version\",\"params\":{},\"id\":1}", "{\"jsonrpc\":\"2.0\",\"result\":\"6.0.14\",\"id\":1}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"host.get\",\"params\":{},\"id\":4}", "{\"jsonrpc\":\"2.0\",\"result\":\"9b6a42ed8c7664d40469d094fb24e4c4\",\"id\":4}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"user.login\",\"params\":{},\"id\":5}", "{\"jsonrpc\":\"2.0\",\"result\":true,\"id\":5}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"user.login\",\"params\":{},\"id\":6}", "{\"jsonrpc\":\"2.0\",\"result\":\"Logged in\",\"id\":6}")]
    public void OtherResults_AreKept(string request, string response) =>
        Assert.Equal(response, Policies.ResponseText(Rpc(request, response)));

    /// <summary>
    /// Zabbix's host macros are name/value pairs: <c>{"macro": "{$DB.PASSWORD}", "value": "Macro-Secret-5512", "type": 1}</c>.
    /// The value's own member is only <c>value</c>, so the password went to disk raw. A <c>value</c> beside a member that
    /// names it (<c>name</c>, <c>key</c>, <c>macro</c>, <c>variable</c>…) whose text names a credential is that credential,
    /// as a command line's value after <c>--password</c> already is; Kubernetes' <c>env</c> list is written the same way.
    /// </summary>
    [Theory]
    [InlineData("{\"macros\":[{\"macro\":\"{$DB.PASSWORD}\",\"value\":\"Macro-Secret-5512\",\"type\":1}]}", "Macro-Secret-5512")]
    [InlineData("{\"env\":[{\"name\":\"DB_PASSWORD\",\"value\":\"s3cr3t-Value\"}]}", "s3cr3t-Value")]
    [InlineData("{\"settings\":[{\"key\":\"api_token\",\"value\":\"a8f3Kq9ZpL2mX7vB4nR1\"}]}", "a8f3Kq9ZpL2mX7vB4nR1")]
    public void AValueBesideAMemberNamingACredential_IsThatCredential(string body, string secret) =>
        Assert.DoesNotContain(secret, Policies.RequestText(Policies.Default.Redact(Policies.Json(body))), StringComparison.Ordinal);

    [Theory]
    [InlineData("{\"macros\":[{\"macro\":\"{$DB.HOST}\",\"value\":\"db01.internal\"}]}")]
    [InlineData("{\"env\":[{\"name\":\"TIMEOUT\",\"value\":\"30s\"}]}")]
    [InlineData("{\"fields\":[{\"name\":\"password\",\"type\":\"string\"},{\"name\":\"title\",\"value\":\"Weekly report\"}]}")]
    [InlineData("{\"name\":\"password\",\"value\":1}")]
    public void OtherPairs_AreKept(string body) =>
        Assert.Equal(body, Policies.RequestText(Policies.Default.Redact(Policies.Json(body))));

    /// <summary>
    /// The Zabbix API client logged in as Admin, then as a second user, and went on with Admin's token: every masked
    /// <c>"auth"</c> read the same. A request body's masked credential is tagged with its keyed token, the one the login that
    /// issued it carries in <c>redaction.issued</c>, so replay can tell whose token a call sends.
    /// </summary>
    [Fact]
    public void AMaskedCredentialARequestBodySends_IsTaggedWithTheTokenOfTheLoginThatIssuedIt()
    {
        var policy = Policies.Default;
        const string token = "9b6a42ed8c7664d40469d094fb24e4c4";
        var login = policy.Redact(Policies.Json("{\"jsonrpc\":\"2.0\",\"method\":\"user.login\",\"params\":{\"username\":\"Admin\",\"password\":\"Zbx-Pw-1\"},\"id\":3}", "{\"jsonrpc\":\"2.0\",\"result\":\"" + token + "\",\"id\":3}"));
        var call = policy.Redact(Policies.Json("{\"jsonrpc\":\"2.0\",\"method\":\"host.get\",\"params\":{},\"id\":4,\"auth\":\"" + token + "\"}", "{\"result\":[]}"));
        var other = policy.Redact(Policies.Json("{\"jsonrpc\":\"2.0\",\"method\":\"host.get\",\"params\":{},\"id\":5,\"auth\":\"0c1d2e3f405162738495a6b7c8d9eaf1\"}", "{\"result\":[]}"));

        var issued = login.Tags[WellKnownTags.RedactedIssued];
        Assert.Equal(issued[..issued.IndexOf('@', StringComparison.Ordinal)] + "@request.body:$.auth", call.Tags[WellKnownTags.RedactedSent]);
        Assert.NotEqual(call.Tags[WellKnownTags.RedactedSent], other.Tags[WellKnownTags.RedactedSent]);
    }
}
