using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 12a (phpMyAdmin's UI in headless Chromium, served by <c>mock</c>): <c>js/dist/functions.js</c> holds the
/// regular expression <c>/^[.`\w@]\w*$/</c>. Its backtick was taken for the start of a template literal that ran to the
/// next backtick a thousand lines on, whose lines are read as text: <c>Functions.checkPassword = function ($theForm)</c>
/// became a password pair, <c>function</c> was masked in that script and, carried, in every script after it
/// (<c>setTimeout(******** () {</c>): the login page threw "Unexpected token '**'" six times and never showed its form.
/// </summary>
public sealed class RegexLiteralTests
{
    private static string Redacted(string body)
    {
        var exchange = Testing.Exchanges.Get("http://pma.test/js/dist/functions.js", "{}", id: "r1");
        exchange = exchange with { Response = exchange.Response! with { Body = ExchangeBody.FromText(body, "application/javascript") } };
        return Policies.ResponseText(Policies.Default.Redact(exchange));
    }

    [Theory]
    [InlineData("if (token.string.match(/^[.`\\w@]\\w*$/)) {\n  x();\n}\nFunctions.checkPassword = function ($theForm) {\n  return 1;\n};\nvar q = 'a `b` c';\n")]
    [InlineData("var re = new RegExp('`');\nvar r = x.replace(/`/g, '');\nFunctions.checkPassword = function () {};\n")]
    public void ABacktickInARegularExpression_OpensNoTemplate(string script) =>
        Assert.Equal(script, Redacted(script));

    [Fact]
    public void ATemplateAfterARegularExpression_IsStillRead()
    {
        var text = Redacted("var r = /a\\/b`/;\nvar d = a / b / c;\nconst cfg = `\npassword=Tmpl-Secret-99\n`;\n");

        Assert.Contains("var r = /a\\/b`/;\nvar d = a / b / c;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Tmpl-Secret-99", text, StringComparison.Ordinal);
    }
}
