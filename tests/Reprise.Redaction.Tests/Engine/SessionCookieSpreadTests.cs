using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 12a (phpMyAdmin 5.2): the login form carries the session id as <c>&lt;input name="set_session"
/// value="…"&gt;</c> and the browser posts it back (<c>set_session=…</c>). The <c>phpMyAdmin</c> cookie was masked in
/// every <c>Set-Cookie</c> and <c>Cookie</c>, and the same id stayed raw in the page and the login request beside it. A
/// cookie value that looks machine-made is spread like any redacted value; a preference cookie's word is not.
/// </summary>
public sealed class SessionCookieSpreadTests
{
    private const string SessionId = "jums53p64ht10s91nmjc5eje5v";

    private static Exchange Page(string setCookie, string html) => Testing.Exchanges.Page("http://pma.test/index.php", html, new HeaderField("Set-Cookie", setCookie));

    [Fact]
    public void ASessionIdMaskedInTheCookie_IsNotLeftRawInThePageOrALaterForm()
    {
        var policy = Policies.Default;
        var page = policy.Redact(Page($"phpMyAdmin={SessionId}; path=/; HttpOnly", $"""<form><input type="hidden" name="set_session" value="{SessionId}"></form>"""));
        var login = Testing.Exchanges.Send("POST", "http://pma.test/index.php?route=/", "{}", "{}", id: "c2");
        login = login with
        {
            Request = login.Request with
            {
                Headers = [new HeaderField("Cookie", $"phpMyAdmin={SessionId}; pma_lang=en"), new HeaderField("Content-Type", "application/x-www-form-urlencoded")],
                Body = ExchangeBody.FromText($"route=%2F&set_session={SessionId}&pma_username=maria", "application/x-www-form-urlencoded"),
            },
        };
        var posted = policy.Redact(login);

        Assert.DoesNotContain(SessionId, Policies.ResponseText(page), StringComparison.Ordinal);
        Assert.DoesNotContain(SessionId, Policies.RequestText(posted), StringComparison.Ordinal);
        Assert.DoesNotContain(SessionId, posted.Request.Headers.Get("Cookie"), StringComparison.Ordinal);
    }

    [Fact]
    public void APreferenceCookiesWord_StaysInThePage()
    {
        const string Html = """<link rel="stylesheet" href="skins/elastic/styles.css"><body class="elastic">""";

        var page = Policies.Default.Redact(Page("roundcube_skin=elastic; path=/", Html));

        Assert.Equal(Html, Policies.ResponseText(page));
    }
}
