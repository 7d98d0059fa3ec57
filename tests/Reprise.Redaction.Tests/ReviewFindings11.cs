using Reprise.Core.Model;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests;

/// <summary>
/// Review of dbb6acf (value detector <c>mailbox-name</c>) and fb3f32d (template literals in the key/value scanner).
/// The display name of a mailbox still reached the recording raw where mail writes it in common real shapes (a header
/// folded between name and address, an RFC 2047 encoded-word, the text of a <c>mailto:</c> link), a comment after an
/// address that is no name (<c>(attempt 3)</c>, <c>(preferred)</c>) was tokenized as one and spread to every other
/// place it stood, and a backtick inside an unquoted value cut the value short so the rest of the password stayed.
/// </summary>
public sealed class ReviewFindings11
{
    private static List<string> Names(string text)
    {
        var spans = new List<(int Start, int Length)>();
        new MailboxNameDetector().Find(text, spans);
        return [.. spans.Select(s => text.Substring(s.Start, s.Length))];
    }

    private static string RedactedResponse(string body, string contentType, string url = "http://mail.test/api/raw/4")
    {
        var exchange = Testing.Exchanges.Get(url, "{}", id: "rf11");
        exchange = exchange with { Response = exchange.Response! with { Body = ExchangeBody.FromText(body, contentType) } };
        return Policies.ResponseText(Policies.Default.Redact(exchange));
    }

    // A header longer than a line is folded at a blank (RFC 5322 §2.2.3): Outlook and Gmail fold "To:" lists between a
    // display name and its address.
    [Theory]
    [InlineData("To: \"Doe, Jane\"\r\n\t<jane.doe@corp.com>", "Doe, Jane")]
    [InlineData("From: Jane Doe\r\n <jane.doe@corp.com>", "Jane Doe")]
    [InlineData("Cc: a@b.io,\n Robert Smith\n  <rsmith@gmail.com>", "Robert Smith")]
    public void FoldedHeader_TheNameBeforeTheLineBreak_IsFound(string text, string name) =>
        Assert.Equal([name], Names(text));

    // A display name outside ASCII is an RFC 2047 encoded-word in a mail header: the usual shape of a non-English name.
    [Theory]
    [InlineData("From: =?UTF-8?Q?Jos=C3=A9_N=C3=BA=C3=B1ez?= <jose@corp.es>", "=?UTF-8?Q?Jos=C3=A9_N=C3=BA=C3=B1ez?=")]
    [InlineData("From: =?utf-8?B?Sm9zw6kgTsO6w7Fleg==?= <jose@corp.es>", "=?utf-8?B?Sm9zw6kgTsO6w7Fleg==?=")]
    [InlineData("To: \"=?iso-8859-1?Q?M=FCller=2C_Zo=EB?=\" <zoe@corp.de>", "=?iso-8859-1?Q?M=FCller=2C_Zo=EB?=")]
    [InlineData("From: Zoe =?UTF-8?Q?M=C3=BCller?= <zoe@corp.de>", "Zoe =?UTF-8?Q?M=C3=BCller?=")]
    public void EncodedWordDisplayName_IsFound(string text, string name) =>
        Assert.Equal([name], Names(text));

    [Fact]
    public void EncodedWordDisplayName_InAMessageBody_DoesNotReachTheRecording()
    {
        var text = RedactedResponse("From: =?UTF-8?Q?Jos=C3=A9_N=C3=BA=C3=B1ez?= <jose@corp.es>\r\nSubject: Hi\r\n\r\nHello\r\n", "message/rfc822");

        Assert.DoesNotContain("Jos=C3=A9", text, StringComparison.Ordinal);
        Assert.StartsWith("From: tok_name_", text, StringComparison.Ordinal);
    }

    // In a JSON or script string (an HTML page's inline state) the quotes of a display name are escaped; a name in a
    // script without case has no capital to start it.
    [Theory]
    [InlineData("{\"from\":\"\\\"Doe, Jane\\\" <jane.doe@corp.com>\"}", "Doe, Jane")]
    [InlineData("From: 山田太郎 <taro.yamada@corp.jp>", "山田太郎")]
    [InlineData("To: 김민준 <minjun@corp.kr>", "김민준")]
    public void EscapedQuotesAndCaselessScripts_TheNameIsFound(string text, string name) =>
        Assert.Equal([name], Names(text));

    // Odd input at the edges of the text throws nothing.
    [Theory]
    [InlineData("](mailto:a@corp.com)")]
    [InlineData("mailto:a@corp.com")]
    [InlineData("<a href=\"mailto:a@corp.com")]
    [InlineData("\\\" <a@corp.com>")]
    [InlineData("\n <a@corp.com>")]
    [InlineData("?= <a@corp.com>")]
    [InlineData("=?x?Q??= <a@corp.com>")]
    [InlineData("a@corp.com (")]
    public void OddInput_NothingThrown(string text) =>
        _ = Names(text);

    // The text of a mailto: link names the mailbox it links to (staff pages, mailing-list archives, READMEs).
    [Theory]
    [InlineData("<p>Maintainer: <a href=\"mailto:jane.doe@corp.com\">Jane Doe</a></p>", "Jane Doe")]
    [InlineData("<a class=\"x\" href='mailto:jane.doe@corp.com?subject=hi'>\n  Jane Doe\n</a>", "Jane Doe")]
    [InlineData("Maintainer: [Jane Doe](mailto:jane.doe@corp.com)", "Jane Doe")]
    public void TheTextOfAMailtoLink_IsFound(string text, string name) =>
        Assert.Equal([name], Names(text));

    [Theory]
    [InlineData("<a href=\"mailto:jane.doe@corp.com\">jane.doe@corp.com</a>")]
    [InlineData("<a href=\"mailto:help@corp.com\">contact us</a>")]
    [InlineData("[write to us](mailto:help@corp.com)")]
    public void AMailtoLinkWithoutAName_NothingFound(string text) =>
        Assert.Empty(Names(text));

    // A comment after an address is a name only when it reads as one: log lines and contact lists put other things there,
    // and a value tokenized as a name is also replaced wherever else it stands in the exchange.
    [Theory]
    [InlineData("Login failed for jane.doe@corp.com (attempt 3)")]
    [InlineData("jane.doe@corp.com (preferred), jane@gmail.com (home)")]
    [InlineData("bounce: jane.doe@corp.com (mailbox full)")]
    public void ACommentThatIsNoName_NothingFound(string text) =>
        Assert.Empty(Names(text));

    [Fact]
    public void ACommentThatIsNoName_IsNotSpreadOverTheExchange()
    {
        var json = """{"contact":"jane.doe@corp.com (preferred)","hint":"the preferred address","log":"Login failed for jane.doe@corp.com (attempt 3); attempt 3 of 5"}""";

        var redacted = Policies.Default.Redact(Policies.Json(json));
        var text = Policies.RequestText(redacted);

        Assert.Contains("\"hint\":\"the preferred address\"", text, StringComparison.Ordinal);
        Assert.Contains("(attempt 3); attempt 3 of 5", text, StringComparison.Ordinal);
        Assert.DoesNotContain(redacted.Redactions, r => r.Rule.Contains("mailbox-name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("jane.doe@corp.com (Jane Doe)", "Jane Doe")]
    [InlineData("jane.doe@corp.com (Doe, Jane)", "Doe, Jane")]
    [InlineData("jane.doe@corp.com (jane doe)", "jane doe")]
    public void ACommentThatIsAName_IsStillFound(string text, string name) =>
        Assert.Equal([name], Names(text));

    // Every new shape stays idempotent: what redaction wrote is not found again.
    [Theory]
    [InlineData("To: \"Doe, Jane\"\r\n\t<jane.doe@corp.com>\r\nFrom: =?UTF-8?Q?Jos=C3=A9_N=C3=BA=C3=B1ez?= <jose@corp.es>\r\n\r\n<a href=\"mailto:jane.doe@corp.com\">Jane Doe</a> [Robert Smith](mailto:rsmith@gmail.com)")]
    public void NewShapes_RedactingTwice_ChangesNothing(string body)
    {
        var policy = Policies.Default;
        var exchange = Testing.Exchanges.Get("http://mail.test/api/raw/5", "{}", id: "rf11b");
        exchange = exchange with { Response = exchange.Response! with { Body = ExchangeBody.FromText(body, "text/plain") } };

        var once = policy.Redact(exchange);
        var twice = policy.Redact(once);

        var text = Policies.ResponseText(once);
        foreach (var leak in new[] { "Doe, Jane", "Jos=C3=A9", "Jane Doe", "Robert Smith" })
        {
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
        }

        Assert.Equal(text, Policies.ResponseText(twice));
    }

    // fb3f32d took '`' out of an unquoted value (so a template literal could be read as one): a password holding a
    // backtick was masked whole before, and now only up to it, the rest written as it was.
    [Theory]
    [InlineData("login failed: user=bob password=p`ss!Word9 from 10.0.0.1", "text/plain", "`ss!Word9")]
    [InlineData("DB_PASSWORD=Xy7`q9Lm2p", "text/plain", "`q9Lm2p")]
    public void AnUnquotedPasswordWithABacktick_IsMaskedWhole(string body, string contentType, string rest)
    {
        var text = RedactedResponse(body, contentType, "http://app.test/logs/1");

        Assert.DoesNotContain(rest, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Set `password=hunter22` in the file", "Set `password=********` in the file")]
    [InlineData("password: `hunter22`, next", "password: `********`, next")]
    public void MarkdownCodeSpans_KeepTheirBackticks(string body, string expected) =>
        Assert.Equal(expected, RedactedResponse(body, "text/markdown", "http://app.test/README.md"));
    // A template literal that spans lines is a string too (fb3f32d read only one-line literals): a DSN or config in a
    // script went to disk with its password. Code outside the literal stays code.
    [Theory]
    [InlineData("const dsn = `\nhost=db.internal\npassword=Hunter2-Correct-Horse\n`;\nvar o={password:!0};", "const dsn = `\nhost=db.internal\npassword=*********************\n`;\nvar o={password:!0};")]
    [InlineData("const cfg = yaml`\n  user: app\n  secret: Tr0ub4dor-and-3\n  url: ${url}\n`, x = {secret:a.b};", "const cfg = yaml`\n  user: app\n  secret: ***************\n  url: ${url}\n`, x = {secret:a.b};")]
    public void AMultiLineTemplateLiteral_InAScript_HasItsPairsMasked(string body, string expected) =>
        Assert.Equal(expected, RedactedResponse(body, "application/javascript", "http://app.test/static/app.js"));

    // A backtick in a string or a comment opens no literal: the code after it stays code.
    [Theory]
    [InlineData("const tick = \"`\";\nfunction f() {\n  password = getPw();\n}\nconst t = `a\nb`;")]
    [InlineData("// use `\nfunction f() {\n  password = getPw();\n}\nconst t = `a\nb`;")]
    [InlineData("/* ` */\nfunction f() {\n  secret = load(k);\n}\nconst t = `a\nb`;")]
    public void ABacktickInAStringOrComment_LeavesTheCodeAlone(string body) =>
        Assert.Equal(body, RedactedResponse(body, "application/javascript", "http://app.test/static/app.js"));
    // Markup and embedded JSON escape the quote and the '<' of a mailbox: an HTML encoder writes &quot;, and the JSON a
    // server-rendered page embeds (Next.js __NEXT_DATA__, Go templates) writes '<' as \u003c.
    [Theory]
    [InlineData("<p>From: &quot;Doe, Jane&quot; &lt;jane.doe@corp.com&gt;</p>", "text/html", "Doe, Jane")]
    [InlineData("<p>From: &#34;Doe, Jane&#34; &lt;jane.doe@corp.com&gt;</p>", "text/html", "Doe, Jane")]
    [InlineData("<script id=\"__NEXT_DATA__\" type=\"application/json\">{\"props\":{\"from\":\"Jane Doe \\u003cjane.doe@corp.com\\u003e\"}}</script>", "text/html", "Jane Doe")]
    public void AnEscapedMailbox_InMarkupOrEmbeddedJson_HasItsNameRedacted(string body, string contentType, string name)
    {
        var text = RedactedResponse(body, contentType, "http://mail.test/inbox");

        Assert.DoesNotContain(name, text, StringComparison.Ordinal);
        Assert.DoesNotContain("jane.doe", text, StringComparison.Ordinal);
    }

    // The address after a \u003c escape starts after it: the token took "u003c" in and left a "\t" escape (a tab) behind.
    [Fact]
    public void AnAddressAfterAUnicodeEscape_KeepsTheEscape()
    {
        var text = RedactedResponse("<script>var d = {\"to\":\"\\u003cjane.doe@corp.com\\u003e\"};</script>", "text/html", "http://mail.test/inbox");

        Assert.Matches(@"\\u003ctok_email_[a-z2-7]{16}@redacted\.example\.com\\u003e", text);
    }
}
