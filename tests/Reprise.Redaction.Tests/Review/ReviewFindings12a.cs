using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Review;

/// <summary>
/// Review of QA round 12a's redaction changes. d307316 spreads a masked cookie's value into every later text when
/// <see cref="Detection.Entropy.LooksRandom"/> holds for it; that test passes for a preference's words joined by separators
/// with a digit among them (phpMyAdmin's own <c>pma_collation_connection=utf8mb4_unicode_ci</c>, a time zone, a locale), so
/// the collation list of every later page was masked where the application needs it verbatim.
/// </summary>
public sealed class ReviewFindings12a
{
    private static Exchange Page(string setCookie, string html) => Testing.Exchanges.Page("http://pma.test/index.php", html, new HeaderField("Set-Cookie", setCookie));

    [Theory]
    [InlineData("pma_collation_connection=utf8mb4_unicode_ci; path=/", "<select><option value=\"utf8mb4_unicode_ci\" selected>utf8mb4_unicode_ci</option></select>")]
    [InlineData("tz=America/New_York; path=/", "<select><option value=\"America/New_York\" selected>America/New_York</option></select>")]
    [InlineData("layout=version2; path=/", "<script>if (layout === \"version2\") go();</script>")]
    [InlineData("locale=en_US.UTF-8; path=/", "<p>en_US.UTF-8</p>")]
    public void APreferenceCookieOfWordsAndDigits_IsNotSpreadIntoThePage(string setCookie, string html)
    {
        var page = Policies.Default.Redact(Page(setCookie, html));

        Assert.Equal(html, Policies.ResponseText(page));
        Assert.DoesNotContain(setCookie[(setCookie.IndexOf('=') + 1)..setCookie.IndexOf(';')], page.Response!.Headers.Get("Set-Cookie"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JSESSIONID=550e8400-e29b-41d4-a716-446655440000; path=/", "550e8400-e29b-41d4-a716-446655440000")]
    [InlineData("PHPSESSID=jums53p64ht10s91nmjc5eje5v; path=/", "jums53p64ht10s91nmjc5eje5v")]
    [InlineData("sid=s%3AAbCdEf0123456789XyZ.Sig9876; path=/", "s%3AAbCdEf0123456789XyZ.Sig9876")]
    public void ASessionIdCookie_IsStillSpreadIntoThePage(string setCookie, string id)
    {
        var page = Policies.Default.Redact(Page(setCookie, $"<input type=\"hidden\" name=\"set_session\" value=\"{id}\">"));

        Assert.DoesNotContain(id, Policies.ResponseText(page), StringComparison.Ordinal);
    }

    /// <summary>
    /// 2e99f21 skips a regular expression literal after an operator or a line break, but an expression also starts after
    /// <c>return</c> (minified: <c>return/^[.`\w@]/.test(e)</c>) or <c>typeof</c>: there the backtick still opened a
    /// template literal and <c>function</c> was masked as a password, the failure 2e99f21 fixed.
    /// </summary>
    [Theory]
    [InlineData("function m(s) {\n  return /^[.`\\w@]\\w*$/.test(s);\n}\nFunctions.checkPassword = function ($theForm) {\n  return 1;\n};\nvar q = 'a `b` c';\n")]
    [InlineData("function m(s){return/^[.`\\w@]\\w*$/.test(s)}\nFunctions.checkPassword = function ($theForm) {\n  return 1;\n};\nvar q = 'a `b` c';\n")]
    [InlineData("var k = typeof /`/;\nFunctions.checkPassword = function ($theForm) {\n  return 1;\n};\nvar q = 'a `b` c';\n")]
    public void ARegularExpressionAfterAKeyword_OpensNoTemplateEither(string script)
    {
        var exchange = Testing.Exchanges.Get("http://pma.test/js/dist/functions.js", "{}", id: "r1");
        exchange = exchange with { Response = exchange.Response! with { Body = ExchangeBody.FromText(script, "application/javascript") } };
        Assert.Equal(script, Policies.ResponseText(Policies.Default.Redact(exchange)));
    }

    [Fact]
    public void ADivisionAfterAPropertyNamedLikeAKeyword_IsNoRegularExpression()
    {
        const string Script = "var h = a.in / 2, cfg = `/\npassword=Tmpl-Secret-99\n`;\n";
        var exchange = Testing.Exchanges.Get("http://pma.test/js/app.js", "{}", id: "r2");
        exchange = exchange with { Response = exchange.Response! with { Body = ExchangeBody.FromText(Script, "application/javascript") } };

        Assert.DoesNotContain("Tmpl-Secret-99", Policies.ResponseText(Policies.Default.Redact(exchange)), StringComparison.Ordinal);
    }
}
