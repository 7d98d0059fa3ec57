using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests;

/// <summary>
/// Review of QA round 10 (77701a0..327b9ee). Since 4ec1d51 a script or style sheet body skipped the key/value scanner
/// altogether, so a credential written as a string literal in a script (a JSONP answer) reached the recording as it
/// was: JsonpAnswer_QuotedPassword_IsMasked failed on 327b9ee. The other two pass there and guard the fix: a userinfo
/// password in a script is masked (a value detector finds it), and unquoted code pairs stay as they are.
/// </summary>
public sealed class ReviewFindings10b
{
    private static string Redacted(string body, string contentType)
    {
        var exchange = Testing.Exchanges.Get("http://app.test/api/me.js?callback=cb", "{}", id: "r10b");
        exchange = exchange with { Response = exchange.Response! with { Body = ExchangeBody.FromText(body, contentType) } };
        return Policies.ResponseText(Policies.Default.Redact(exchange));
    }

    [Theory]
    [InlineData("application/javascript")]
    [InlineData("text/javascript; charset=utf-8")]
    public void JsonpAnswer_QuotedPassword_IsMasked(string contentType)
    {
        var text = Redacted("""cb({"user":"ann","password":"Hunter2-Correct-Horse"});""", contentType);

        Assert.DoesNotContain("Hunter2-Correct-Horse", text, StringComparison.Ordinal);
        Assert.StartsWith("cb({\"user\":\"ann\",\"password\":\"", text, StringComparison.Ordinal); // still a script that parses
        Assert.EndsWith("\"});", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigScript_UserInfoPassword_IsMasked()
    {
        var text = Redacted("""window.__CONFIG__={db:"postgres://app:Sup3rS3cretPw@db.internal:5432/prod",debug:!0};""", "application/javascript");

        Assert.DoesNotContain("Sup3rS3cretPw", text, StringComparison.Ordinal);
        Assert.Contains("debug:!0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MinifiedCode_UnquotedPairs_StillUnchanged()
    {
        const string body = "var o={radio:!0,checkbox:!0,password:!0,image:!0};var token=e.token||n;pwd=a.b;";

        Assert.Equal(body, Redacted(body, "application/javascript"));
    }
}
