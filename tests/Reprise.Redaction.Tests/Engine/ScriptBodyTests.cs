using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 10a (Jupyter Notebook's web UI in headless Chromium, recorded and then served by <c>mock</c>): the minified
/// jQuery inside <c>tree/js/main.min.js</c> holds <c>{radio:!0,checkbox:!0,file:!0,password:!0,image:!0}</c>, and the
/// key/value scanner read <c>password:!0</c> as a password: the served script said <c>password:**</c>, a syntax error,
/// so the page never listed a notebook (14 of 53 requests served, none missed). In a script or a style sheet
/// <c>name: value</c> is code: only the value detectors (keys, tokens, emails, cards) run there.
/// </summary>
public sealed class ScriptBodyTests
{
    private static string Redacted(string body, string contentType)
    {
        var exchange = Testing.Exchanges.Get("http://nb.test/static/tree/js/main.min.js", "{}", id: "s1");
        exchange = exchange with { Response = exchange.Response! with { Body = ExchangeBody.FromText(body, contentType) } };
        return Policies.ResponseText(Policies.Default.Redact(exchange));
    }

    [Theory]
    [InlineData("application/javascript")]
    [InlineData("text/javascript; charset=utf-8")]
    [InlineData("text/css")]
    public void CodeThatReadsLikePairs_IsUnchanged(string contentType)
    {
        const string body = "b.pseudos.nth=b.pseudos.eq,{radio:!0,checkbox:!0,file:!0,password:!0,image:!0};var token=e.token||n;secret:a.b";

        Assert.Equal(body, Redacted(body, contentType));
    }

    [Fact]
    public void AKeyInAScript_IsStillMasked()
    {
        var text = Redacted("var stripe=Stripe(\"sk_live_4eC39HqLyjWDarjtT1zdp7dc\");", "application/javascript");

        Assert.DoesNotContain("sk_live_4eC39HqLyjWDarjtT1zdp7dc", text, StringComparison.Ordinal);
    }

    // A template literal (`…`) is a string like a quoted one: its password went to disk raw from a script, and from a JSON
    // value or an HTML page it was masked together with its backticks (the code no longer parsed).
    [Theory]
    [InlineData("const cfg = {password: `Tmpl-Secret-99`, user: 'x'};", "application/javascript", "const cfg = {password: `**************`, user: 'x'};")]
    [InlineData("<script>var c = {password: `Tmpl-Secret-99`}</script>", "text/html", "<script>var c = {password: `**************`}</script>")]
    [InlineData("login({password: `Tmpl-Secret-99`})", "text/plain", "login({password: `**************`})")]
    public void APasswordInATemplateLiteral_IsMaskedInsideItsBackticks(string body, string contentType, string expected) =>
        Assert.Equal(expected, Redacted(body, contentType));

    [Theory]
    [InlineData("application/javascript")]
    [InlineData("text/plain")]
    public void ATemplateLiteralWithASubstitution_IsCode_AndStays(string contentType)
    {
        const string body = "fetch(u, {headers: {authorization: `Bearer ${token}`}, password: `${pw}`});";

        Assert.Equal(body, Redacted(body, contentType));
    }

    // QA round 11a (PostGraphile's GraphiQL page, 990 KiB of HTML with its JavaScript inline): the key/value scanner masked
    // "token:e.tokens.length-1" and "this.token=…" inside the page's <script>, and the same-value pass the same expression
    // elsewhere, so the page served by the mock no longer ran. An HTML page's scripts and style sheets are code too.
    [Fact]
    public void AnHtmlPagesInlineScriptAndStyle_AreCode_TheTextAroundThemIsNot()
    {
        const string Script = "<script>t.advance=function(){return this.lastToken=this.token,this.token=this.lookahead()};e.delimiters.push({marker:o,token:e.tokens.length-1,password:!0})</script>";
        const string Style = "<STYLE type=\"text/css\">.secret:hover{token:a}</STYLE>";
        var page = "<html><head>" + Script + Style + "</head><body><p>password=hunter2-Secret</p></body></html>";

        var text = Redacted(page, "text/html; charset=utf-8");

        Assert.Contains(Script, text, StringComparison.Ordinal);
        Assert.Contains(Style, text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-Secret", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AStringLiteralInAnInlineScript_IsStillJudged()
    {
        var text = Redacted("<html><script>window.config={\"password\":\"hunter2-Secret\"};</script></html>", "text/html");

        Assert.DoesNotContain("hunter2-Secret", text, StringComparison.Ordinal);
    }

    // QA round 12c (Directus' admin app, a 7 MB bundle with its translation table inline): the literals of
    // "password:`Password`" and "full_name:`Full Name`" were judged as a password and a person's name, and the same-value
    // pass then masked "password" inside every identifier (Y.********, {email:yh.string(),********:yh.string()}): the
    // served script threw "Unexpected token '**'" and the admin app never rendered from the mock. A value that is its
    // field's own label is not a value.
    [Theory]
    [InlineData("application/javascript")]
    [InlineData("text/html")]
    public void AFieldsOwnLabel_IsNotItsValue_AndTheScriptIsUnchanged(string contentType)
    {
        const string Script = "var Y={password:`Password`,forgot_password:`Forgot Password`,confirm_password:\"Confirm Password\",full_name:`Full Name`,api_key:'API Key'};"
            + "var _Pe=Y.password,QNe=Y.forgot_password;const o=yh.object({email:yh.string().optional(),password:yh.string().optional()});";
        var body = contentType == "text/html" ? "<html><script>" + Script + "</script></html>" : Script;

        Assert.Equal(body, Redacted(body, contentType));
    }

    [Theory]
    [InlineData("var c={password:`Hunter2-Secret`};", "Hunter2-Secret")]
    [InlineData("var c={password:\"password\"};", "\"password\"")]
    [InlineData("var c={admin_password:\"Admin\"};", "\"Admin\"")]
    [InlineData("var c={full_name:\"Maria Gonzalez\"};", "Maria Gonzalez")]
    public void AValueThatIsNotItsFieldsLabel_IsStillJudged(string body, string secret) =>
        Assert.DoesNotContain(secret, Redacted(body, "application/javascript"), StringComparison.Ordinal);

    [Fact]
    public void ATranslationTableInJson_KeepsItsLabels_ButNotAValue()
    {
        // A translation table is served (a response); a password typed at a login is sent (see the next test).
        var exchange = Testing.Exchanges.Get("http://app.test/translations", "{\"password\":\"Password\",\"full_name\":\"Full Name\",\"user\":{\"password\":\"Sofia-Pw-55xQ\",\"full_name\":\"Sofia Rossi\"}}", id: "t1");

        var text = Policies.ResponseText(Policies.Default.Redact(exchange));

        Assert.Contains("\"password\":\"Password\",\"full_name\":\"Full Name\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sofia-Pw-55xQ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sofia Rossi", text, StringComparison.Ordinal);
    }

    /// <summary>rv12bc: the label rule kept a weak password typed at a login raw (<c>{"password":"Password"}</c>); 53eb0b7 masked it.</summary>
    [Theory]
    [InlineData("{\"username\":\"alice\",\"password\":\"Password\"}", "Password")]
    [InlineData("{\"username\":\"alice\",\"password\":\"Pass Word\"}", "Pass Word")]
    [InlineData("{\"passphrase\":\"Pass Phrase\"}", "Pass Phrase")]
    public void APasswordTypedAtALogin_IsMasked_EvenWhenItReadsLikeItsLabel(string body, string password)
    {
        var exchange = Testing.Exchanges.Send("POST", "http://app.test/auth/login", body, "{}", id: "l1");

        var text = Policies.RequestText(Policies.Default.Redact(exchange));

        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
    }

    // QA round 12c (Directus' admin bundle): "n+=`?access_token=`+r.imageToken),d.replaceSelection(`…`)" read the closing
    // backtick of "`?access_token=`" as the opening quote of the token's value and masked the code up to the next literal:
    // "Unexpected token '**'", the admin app never started from the mock.
    [Theory]
    [InlineData("application/javascript")]
    [InlineData("text/html")]
    public void AQueryKeyAtTheEndOfALiteral_DoesNotTakeTheCodeAfterIt(string contentType)
    {
        const string Script = "r.imageToken&&(n+=`?access_token=`+r.imageToken),d.replaceSelection(`![${d.getSelection()}](${n})`);"
            + "var u=\"https://api.test/x?token=\"+t,q='&password='+pw,v='password='+encodeURIComponent(pw);";
        var body = contentType == "text/html" ? "<html><script>" + Script + "</script></html>" : Script;

        Assert.Equal(body, Redacted(body, contentType));
    }

    [Theory]
    [InlineData("var c={\"password\":\"Hunter2-Secret\"};")]
    [InlineData("var c={password:'Hunter2-Secret'};")]
    [InlineData("var c={password: `Hunter2-Secret`};")]
    public void AQuotedValueAfterItsKey_IsStillMasked(string body) =>
        Assert.DoesNotContain("Hunter2-Secret", Redacted(body, "application/javascript"), StringComparison.Ordinal);
}
