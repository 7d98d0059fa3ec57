using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests;

/// <summary>
/// QA round 15a (Icinga Web 2 through headless Chromium and its JSON API mode; graphite-web's render, tag, event and
/// dashboard APIs): a mailbox that Markdown rendered as a link kept its display name.
/// </summary>
public sealed class Qa15aTests
{
    private static string HtmlAfter(string html) =>
        Policies.ResponseText(Policies.Default.Redact(Testing.Exchanges.Page("http://monitor.test/dashboard", html)));

    /// <summary>
    /// Icinga Web 2 renders an announcement's text as Markdown (Parsedown) in every page's header:
    /// <c>contact Jonas Schmidt &lt;jonas.schmidt@example.net&gt;</c> became
    /// <c>contact Jonas Schmidt &lt;a href="mailto:…"&gt;…&lt;/a&gt;</c>. The address was tokenized, the name went to disk
    /// raw on all 9 pages of the UI recording. The autolink's tag stands where the mailbox's '&lt;' stood.
    /// </summary>
    [Theory]
    [InlineData("<p>Maintenance Friday, contact Jonas Schmidt <a href=\"mailto:jonas.schmidt@example.net\" target=\"_blank\">jonas.schmidt@example.net</a> or the desk</p>", "Schmidt")]
    [InlineData("<li>Reviewed-by: Aiko Tanaka <a href='mailto:aiko.tanaka@example.com'>aiko.tanaka@example.com</a></li>", "Tanaka")]
    [InlineData("<td>maria gonzalez <A HREF=\"mailto:maria.gonzalez@example.org\">maria.gonzalez@example.org</A></td>", "gonzalez")]
    public void ANameInFrontOfAnAutolinkedAddress_IsTheMailboxsName(string html, string surname)
    {
        var after = HtmlAfter(html);

        Assert.DoesNotContain(surname, after, StringComparison.Ordinal);
        Assert.DoesNotContain("@example.", after, StringComparison.Ordinal);
    }

    /// <summary>
    /// Guards: prose in front of an autolink stays (lower-case words that are not the item, or meet nothing of the address),
    /// and a link whose text is not the address is judged by its text, as before.
    /// </summary>
    [Theory]
    [InlineData("<p>for questions please write to <a href=\"mailto:ops-desk@example.net\">ops-desk@example.net</a></p>", "please write to")]
    [InlineData("<p>Questions? <a href=\"mailto:ops-desk@example.net\">ops-desk@example.net</a></p>", "Questions?")]
    [InlineData("<p>Runbook owner <a href=\"mailto:ops-desk@example.net\">the desk</a></p>", "Runbook owner")]
    public void OtherTextBeforeAMailtoLink_Stays(string html, string kept)
    {
        var after = HtmlAfter(html);

        Assert.Contains(kept, after, StringComparison.Ordinal);
        Assert.DoesNotContain("ops-desk@example.net", after, StringComparison.Ordinal);
    }

    /// <summary>
    /// Icinga Web 2's script sets <c>_chc=1</c> (cookie check) and <c>icingaweb2-tzo=0-0</c> (the browser's time-zone
    /// offset); no response sets them, so replay could only send what the recording held. Both were masked
    /// (<c>_chc=*</c>, <c>icingaweb2-tzo=***</c>) and the fresh instance rendered the login page with <c>timezone: 'UTC'</c>
    /// where the recording had <c>'Europe/London'</c>. A value of 4 characters or fewer is no credential.
    /// </summary>
    [Fact]
    public void ACookieValueTooShortToBeACredential_IsKept_TheSessionIdIsNot()
    {
        var exchange = Testing.Exchanges.Get("http://monitor.test/dashboard", "{}", id: "c1");
        exchange = exchange with
        {
            Request = exchange.Request with
            {
                Headers = [new("Cookie", "_chc=1; icingaweb2-tzo=0-0; Icingaweb2=sf4cigipphmf7hs1epnr8eskr2; lang=de; pin=12345")],
            },
        };

        var cookie = Policies.Default.Redact(exchange).Request.Headers.Get("cookie");

        Assert.Equal("_chc=1; icingaweb2-tzo=0-0; Icingaweb2=**************************; lang=de; pin=*****", cookie);
    }
}
