using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 9 (DokuWiki's XML-RPC API with Python's xmlrpc.client): <c>dokuwiki.login('qaeditor', 'wrong-pass-qa9')</c>
/// sends the password as a positional parameter, with no field name a detector could see, and it reached the recording
/// raw. The parameters of a login method after the first are passwords; other calls are untouched.
/// </summary>
public sealed class XmlRpcLoginTests
{
    private static string Call(string method, params string[] values) =>
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>" + method + "</methodName>\n<params>\n"
        + string.Concat(values.Select(v => "<param>\n<value><string>" + v + "</string></value>\n</param>\n")) + "</params>\n</methodCall>\n";

    private static string Redacted(string body, RedactionPolicyLike? policy = null)
    {
        var exchange = Testing.Exchanges.Send("POST", "http://wiki.test/lib/exe/xmlrpc.php", "{}", "{}", id: "x1");
        exchange = exchange with { Request = exchange.Request with { Body = ExchangeBody.FromText(body, "text/xml") } };
        return Policies.RequestText((policy?.Policy ?? Policies.Default).Redact(exchange));
    }

    public sealed record RedactionPolicyLike(Reprise.Redaction.Policy.RedactionPolicy Policy);

    [Theory]
    [InlineData("dokuwiki.login")]
    [InlineData("system.auth")]
    [InlineData("user.authenticate")]
    [InlineData("LogOn")]
    [InlineData("api.userLogin")]
    public void LoginMethod_ParametersAfterTheFirst_AreMasked(string method)
    {
        var text = Redacted(Call(method, "qaeditor", "wrong-pass-qa9", "Second-Secret-77"));

        Assert.DoesNotContain("wrong-pass-qa9", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Second-Secret-77", text, StringComparison.Ordinal);
        Assert.Contains("<string>qaeditor</string>", text, StringComparison.Ordinal);
        Assert.Contains("<string>**************</string>", text, StringComparison.Ordinal);
        Assert.Contains("<methodName>" + method + "</methodName>", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wiki.putPage")]
    [InlineData("dokuwiki.loginStatus")]
    [InlineData("wiki.getPage")]
    public void OtherMethods_AreLeftAlone(string method)
    {
        var body = Call(method, "customers:maria", "release notes for build 42");

        Assert.Equal(body, Redacted(body));
    }

    [Fact]
    public void AKeepRuleOnTheParameter_Wins()
    {
        var policy = new RedactionPolicyLike(Policies.FromYaml("rules:\n  - {xpath: /methodCall/params/param/value/string, action: keep}\n"));

        Assert.Contains("wrong-pass-qa9", Redacted(Call("dokuwiki.login", "qaeditor", "wrong-pass-qa9"), policy), StringComparison.Ordinal);
    }
}

/// <summary>
/// QA round 9 (DokuWiki's XML-RPC API): in <c>&lt;struct&gt;&lt;member&gt;&lt;name&gt;name&lt;/name&gt;…</c> the
/// <c>&lt;name&gt;</c> is the member's key, but <c>member</c> is a person-like parent, so the key "name" was tokenized
/// and <c>xmlrpc.client</c> read <c>getPageInfo</c> from the mock without its <c>name</c> key. A member's key stays, and
/// names the field its value is judged as.
/// </summary>
public sealed class XmlRpcStructTests
{
    private const string Response = "<?xml version=\"1.0\"?>\n<methodResponse><params><param><value><struct>"
        + "<member><name>name</name><value><string>customers:maria</string></value></member>"
        + "<member><name>author</name><value><string>Jonas Schmidt</string></value></member>"
        + "<member><name>email</name><value>jonas@example.org</value></member>"
        + "<member><name>password</name><value><string>Hunter2-Struct!</string></value></member>"
        + "<member><name>version</name><value><int>1795748212</int></value></member>"
        + "<member><name>tags</name><value><array><data><value><string>ops</string></value></data></array></value></member>"
        + "</struct></value></param></params></methodResponse>";

    [Fact]
    public void MemberKeys_Stay_AndNameTheFieldOfTheirValues()
    {
        var exchange = Testing.Exchanges.Send("POST", "http://wiki.test/lib/exe/xmlrpc.php", "{}", "{}", id: "x1");
        exchange = exchange with { Response = exchange.Response! with { Body = ExchangeBody.FromText(Response, "text/xml") } };

        var text = Policies.ResponseText(Policies.Default.Redact(exchange));

        foreach (var key in new[] { "name", "author", "email", "password", "version", "tags" })
        {
            Assert.Contains("<member><name>" + key + "</name>", text, StringComparison.Ordinal);
        }

        Assert.Contains("<string>customers:maria</string>", text, StringComparison.Ordinal);
        Assert.Contains("<int>1795748212</int>", text, StringComparison.Ordinal);
        Assert.Contains("<string>ops</string>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Jonas", text, StringComparison.Ordinal);
        Assert.DoesNotContain("jonas@example.org", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter2-Struct!", text, StringComparison.Ordinal);
        Assert.Contains("<string>***************</string>", text, StringComparison.Ordinal);
    }
}
