using Reprise.Core.Model;
using Reprise.Redaction.Policy;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests;

/// <summary>
/// QA round 13a (Redmine 5.0 through python-requests and headless Chromium): secrets a page carries outside a form field or
/// a request's own query, and an API key sent as <c>?key=</c> that replay could not pair with the same key in a header.
/// </summary>
public sealed class Qa13aTests
{
    private const string CsrfToken = "5e4KlSKbYNc+rJ8AVmeZTc04PdNQxh75bWH/K03oLqukuUFn02Fuv/XyUjU2yQMz+2WRko9mkfJn1sPLrVMREg==";

    private const string FeedKey = "e384a44efe8da45211160a926eb57662cbbbc2b2";

    private static string PageAfter(string html, RedactionPolicy? policy = null) =>
        Policies.ResponseText((policy ?? Policies.Default).Redact(Testing.Exchanges.Page("http://tracker.test/issues/1", html)));

    /// <summary>
    /// Every Redmine page writes the session's CSRF token as <c>&lt;meta name="csrf-token" content="…"&gt;</c>; rails-ujs copies it
    /// into each form's <c>authenticity_token</c> before posting, so it is the value the browser sends. The meta kept it raw
    /// (9 pages) while the posted copy was masked, and replay, finding no recorded source for the posted token, sent the
    /// recorded one: every login and form answered 422.
    /// </summary>
    [Theory]
    [InlineData("<meta name=\"csrf-param\" content=\"authenticity_token\" />\n<meta name=\"csrf-token\" content=\"{0}\" />")]
    [InlineData("<meta content='{0}' name='csrf-token'>")]
    [InlineData("<META NAME=\"CSRF-TOKEN\" CONTENT=\"{0}\">")]
    public void ACsrfTokenInAMetaTag_IsMaskedLikeTheFormFieldItFills(string template)
    {
        var head = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, CsrfToken);
        var html = "<!DOCTYPE html><html><head><meta name=\"description\" content=\"Redmine\" />" + head + "</head><body></body></html>";

        var after = PageAfter(html);

        Assert.DoesNotContain(CsrfToken, after, StringComparison.Ordinal);
        Assert.Equal(html.Replace(CsrfToken, new string('*', CsrfToken.Length), StringComparison.Ordinal), after);
    }

    /// <summary>The posted token and the page's meta are one token with <c>secret: tokenize</c>, so replay pairs them.</summary>
    [Fact]
    public void WithSecretTokenize_TheMetasTokenIsThePostedFieldsToken()
    {
        var policy = Policies.FromYaml("detectors:\n  secret: tokenize\n").NewStream();
        var page = PageAfter($"<html><head><meta name=\"csrf-token\" content=\"{CsrfToken}\" /></head></html>", policy);
        var post = Testing.Exchanges.Get("http://tracker.test/login");
        post = post with
        {
            Request = post.Request with
            {
                Method = "POST",
                Body = ExchangeBody.FromBytes(System.Text.Encoding.UTF8.GetBytes("authenticity_token=" + Uri.EscapeDataString(CsrfToken) + "&username=admin"), "application/x-www-form-urlencoded"),
            },
        };
        var posted = Policies.RequestText(policy.Redact(post));

        var token = System.Text.RegularExpressions.Regex.Match(page, "content=\"(tok_secret_[a-z2-7]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        Assert.Contains("authenticity_token=" + token + "&", posted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<meta name=\"keywords\" content=\"issue,bug,tracker\" />")]
    [InlineData("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")]
    [InlineData("<meta name=\"generator\" content=\"Redmine 5.0.4\">")]
    public void OtherMetaTags_AreKept(string meta)
    {
        var html = "<html><head>" + meta + "</head></html>";
        Assert.Equal(html, PageAfter(html));
    }

    /// <summary>
    /// Redmine links the Atom feed of every list with the user's feed key: <c>href="/issues.atom?c%5B%5D=project&amp;amp;key=…"</c>.
    /// The pair pattern found <c>key=…</c> but judged it as a field named <c>key</c>, which no detector claims: the
    /// query's credential rule (<c>code</c>, <c>sig</c>, <c>key</c>, <c>hash</c>, <c>state</c> with a machine-made value) was
    /// applied to request URLs only. The key stayed raw 9 times in one browser session.
    /// </summary>
    [Theory]
    [InlineData("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"http://tracker.test/issues.atom?c%5B%5D=project&amp;f%5B%5D=status_id&amp;key={0}&amp;op%5Bstatus_id%5D=o\" />")]
    [InlineData("<a class=\"atom\" href=\"/projects/billing/activity.atom?key={0}\">Atom</a>")]
    [InlineData("<a href=\"/issues.atom?set_filter=1&key={0}&sort=id\">Atom</a>")]
    public void AKeyInALinksQuery_IsMasked(string link)
    {
        var html = "<html><body>" + string.Format(System.Globalization.CultureInfo.InvariantCulture, link, FeedKey) + "</body></html>";

        var after = PageAfter(html);

        Assert.DoesNotContain(FeedKey, after, StringComparison.Ordinal);
        Assert.Equal(html.Replace(FeedKey, new string('*', FeedKey.Length), StringComparison.Ordinal), after);
    }

    [Theory]
    [InlineData("<a href=\"/issues?sort=priority&amp;key=status\">by status</a>")]
    [InlineData("<a href=\"/settings?tab=api&amp;state=open\">open</a>")]
    [InlineData("<p>key=2f7a9c3b1e8d4f6a0b5c7d9e1f3a5b7c9d1e3f5a is the fingerprint</p>")]
    public void AWordOrAKeyOutsideAQuery_IsKept(string body)
    {
        var html = "<html><body>" + body + "</body></html>";
        Assert.Equal(html, PageAfter(html));
    }

    /// <summary>
    /// Recorded with <c>secret: tokenize</c> (to replay exactly), the API key in the <c>X-Redmine-API-Key</c> header and in the
    /// <c>/users/current.json</c> answer was one token, but <c>?key=</c> in a request URL was always masked: replay had no source
    /// for it and <c>POST /projects.json?key=****</c> answered 401 (the project, and every issue in it, were never created).
    /// A query's credential takes the policy's action for secrets.
    /// </summary>
    [Fact]
    public void WithSecretTokenize_AnApiKeyInTheQuery_IsTheHeadersToken()
    {
        var policy = Policies.FromYaml("detectors:\n  secret: tokenize\n").NewStream();
        var inHeader = Testing.Exchanges.Get("http://tracker.test/users/current.json");
        inHeader = inHeader with { Request = inHeader.Request with { Headers = [new HeaderField("X-Redmine-API-Key", FeedKey)] } };
        var header = policy.Redact(inHeader).Request.Headers.Get("x-redmine-api-key")!;
        var url = policy.Redact(Testing.Exchanges.Get("http://tracker.test/projects.json?key=" + FeedKey)).Request.Url;

        Assert.StartsWith("tok_secret_", header, StringComparison.Ordinal);
        Assert.Equal("http://tracker.test/projects.json?key=" + header, url);
    }

    [Fact]
    public void ByDefault_AnApiKeyInTheQuery_IsStillMasked()
    {
        var url = Policies.Default.Redact(Testing.Exchanges.Get("http://tracker.test/projects.json?key=" + FeedKey)).Request.Url;
        Assert.Equal("http://tracker.test/projects.json?key=" + new string('*', FeedKey.Length), url);
    }

    /// <summary>
    /// Redmine names every assignee, author and watcher as a link to the user's page, <c>&lt;a class="user active"
    /// href="/users/5"&gt;Jonas Schmidt&lt;/a&gt;</c>, and the same name in the page's title, the issue subject and the notes.
    /// None of it was judged (31 raw in one browser session): a page's text has no field. The link names the resource
    /// whose name it shows; once found, the name spreads to the rest of the page like any redacted value.
    /// </summary>
    [Fact]
    public void ALinkToAPersonsPage_HasThePersonsName_AndItSpreadsOverThePage()
    {
        const string Html = """
            <html><head><title>Bug #1: Refund for Jonas Schmidt - Billing Migration - Redmine</title></head><body>
            <div class="subject"><h3>Refund for Jonas Schmidt</h3></div>
            <div class="assigned-to"><div class="value"><a class="user active" href="/users/5">Jonas Schmidt</a></div></div>
            <p>Updated by <a class="user active" href="http://tracker.test/people/8f3a2c91">Aiko Tanaka</a></p>
            <a href="/projects/billing">Billing Migration</a> <a href="/users">Users List</a> <a href="/users/5/edit">Edit Profile</a>
            <a href="/issues/1">Refund Request</a>
            </body></html>
            """;

        var after = PageAfter(Html);

        Assert.DoesNotContain("Jonas", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Schmidt", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Tanaka", after, StringComparison.Ordinal);
        Assert.Contains("href=\"/users/5\">tok_name_", after, StringComparison.Ordinal);
        Assert.Contains("<h3>Refund for tok_name_", after, StringComparison.Ordinal);
        Assert.Contains(">Billing Migration</a>", after, StringComparison.Ordinal);
        Assert.Contains(">Users List</a>", after, StringComparison.Ordinal);
        Assert.Contains(">Edit Profile</a>", after, StringComparison.Ordinal);
        Assert.Contains(">Refund Request</a>", after, StringComparison.Ordinal);
    }
}
