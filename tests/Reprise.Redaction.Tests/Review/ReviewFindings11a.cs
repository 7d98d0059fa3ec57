using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Review;

/// <summary>Review of QA round 11a's redaction changes (word-by-word name tokens, an HTML page's scripts as code).</summary>
public sealed class ReviewFindings11a
{
    private static string Html(string page)
    {
        var exchange = Testing.Exchanges.Get("http://app.test/account", "{}", id: "h1");
        exchange = exchange with { Response = exchange.Response! with { Body = ExchangeBody.FromText(page, "text/html; charset=utf-8") } };
        return Policies.ResponseText(Policies.Default.Redact(exchange));
    }

    /// <summary>
    /// A server that writes a name as "Last, First" from the parts the client sent (a directory's <c>sortName</c>, a
    /// letter's salutation): each word was tokenized with the punctuation written after it ("Doe," got its own token, and
    /// the comma went into it), so the composed name matched neither part's token and replay saw a difference in every
    /// answer naming the person, the very case word-by-word tokens were made for. Punctuation around a word is kept.
    /// </summary>
    [Fact]
    public void ANameComposedLastCommaFirst_IsThePartsTokens_WithTheCommaKept()
    {
        var exchange = Policies.Json(
            """{"firstName":"Jane","lastName":"Doe"}""",
            """{"person":{"fullName":"Doe, Jane"}}""");

        var redacted = Policies.Default.Redact(exchange);

        using var request = JsonDocument.Parse(Policies.RequestText(redacted));
        using var response = JsonDocument.Parse(Policies.ResponseText(redacted));
        var first = request.RootElement.GetProperty("firstName").GetString();
        var last = request.RootElement.GetProperty("lastName").GetString();
        Assert.StartsWith("tok_name_", first, StringComparison.Ordinal);
        Assert.Equal($"{last}, {first}", response.RootElement.GetProperty("person").GetProperty("fullName").GetString());
    }

    /// <summary>Guard: a name written with punctuation is a token (redacting it again changes nothing, inspect sees a token).</summary>
    [Theory]
    [InlineData("Doe, Jane")]
    [InlineData("J. R. R. Tolkien")]
    [InlineData("Mary-Ann O'Neil")]
    public void ANameWithPunctuation_RedactedTwice_IsUnchanged_AndIsAToken(string name)
    {
        var body = JsonSerializer.Serialize(new { fullName = name });
        var once = Policies.Default.Redact(Policies.Json(body));
        var twice = Policies.Default.Redact(once);

        Assert.Equal(Policies.RequestText(once), Policies.RequestText(twice));
        using var document = JsonDocument.Parse(Policies.RequestText(once));
        var token = document.RootElement.GetProperty("fullName").GetString()!;
        Assert.True(RedactedValue.IsToken(token), token);
        Assert.DoesNotContain("Jane", token, StringComparison.Ordinal);
        Assert.DoesNotContain("Tolkien", token, StringComparison.Ordinal);
        Assert.DoesNotContain("Neil", token, StringComparison.Ordinal);
    }

    /// <summary>
    /// A JSON data island (<c>&lt;script type="application/json"&gt;</c>, Next.js's <c>__NEXT_DATA__</c>, an import map,
    /// JSON-LD) is data, not code (HTML runs only a script of a JavaScript type): a number under a password-named member
    /// (<c>"pin": 4821</c>, <c>"cvv": 737</c>) was masked in the page before round 11a and kept raw after it, because only
    /// string literals are judged in code.
    /// </summary>
    [Theory]
    [InlineData("application/json")]
    [InlineData("application/ld+json")]
    [InlineData("text/x-template")]
    public void ANumberInAJsonDataIsland_UnderAPasswordName_IsMasked(string type)
    {
        var text = Html($"<html><body><script id=\"__NEXT_DATA__\" type=\"{type}\">{{\"props\":{{\"card\":{{\"pin\":4821,\"cvv\":737}}}}}}</script></body></html>");

        Assert.DoesNotContain("4821", text, StringComparison.Ordinal);
        Assert.DoesNotContain("737", text, StringComparison.Ordinal);
    }

    /// <summary>Guard: a JavaScript-typed script (and a module) is still code.</summary>
    [Theory]
    [InlineData("text/javascript")]
    [InlineData("module")]
    [InlineData("application/javascript")]
    public void AJavaScriptTypedScript_IsStillCode(string type)
    {
        var script = $"<script type=\"{type}\">e.delimiters.push({{token:e.tokens.length-1,password:!0}})</script>";

        Assert.Contains(script, Html($"<html><head>{script}</head></html>"), StringComparison.Ordinal);
    }

    /// <summary>
    /// A <c>&lt;script&gt;</c> written inside an HTML comment is no element (the comment ends it): with no end tag after
    /// it, the rest of the page was taken for code and a <c>password=…</c> in the page's text was kept raw.
    /// </summary>
    [Fact]
    public void AScriptTagInsideAnHtmlComment_DoesNotMakeTheRestOfThePageCode()
    {
        var text = Html("<html><!-- the widget loads its <script> lazily --><body><pre>password=hunter2-Secret</pre></body></html>");

        Assert.DoesNotContain("hunter2-Secret", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// A text that only mentions a script tag (a WAF's log line naming the probe it blocked, a validation error quoting the
    /// input) is no HTML page: its "&lt;script&gt;" has no end tag, and everything after it was taken for code, so a later
    /// line's <c>password=…</c> went to disk raw. An element left open runs to the end only in a markup document.
    /// </summary>
    [Fact]
    public void AnUnclosedScriptTagMentionedInALog_DoesNotMakeTheRestCode()
    {
        var exchange = Testing.Exchanges.Get("http://waf.test/logs/today", "{}", id: "l1");
        const string Log = "2026-11-27T09:00:01Z WARN blocked input <script> in q from 10.0.0.5\n2026-11-27T09:00:02Z INFO login user=ops password=Hunter2-Secret\n";
        exchange = exchange with { Response = exchange.Response! with { Body = ExchangeBody.FromText(Log, "text/plain") } };

        var text = Policies.ResponseText(Policies.Default.Redact(exchange));

        Assert.DoesNotContain("Hunter2-Secret", text, StringComparison.Ordinal);
    }

    /// <summary>Guard: a page cut inside its script (the capture cap) still has the rest of the script as code.</summary>
    [Fact]
    public void AnHtmlPageCutInsideItsScript_KeepsTheRestAsCode()
    {
        const string Page = "<!DOCTYPE html><html><head><script>e.delimiters.push({token:e.tokens.length-1,password:!0});var x={secret:a.b";

        Assert.Equal(Page, Html(Page));
    }

    /// <summary>Guard: a name's words are tokenized in the name only: the same word standing alone in prose stays.</summary>
    [Fact]
    public void AWordOfATokenizedName_StandingAloneInProse_IsKept()
    {
        var policy = Policies.Default;
        var first = policy.Redact(Policies.Json("""{"fullName":"May Lee"}""", """{"note":"We ship in May from Lee Road; May Lee signed."}"""));
        var second = policy.Redact(Policies.Json("""{"q":"x"}""", """{"note":"Next batch in May, via Lee Road."}"""));

        var note = Policies.ResponseText(first);
        Assert.Contains("We ship in May from Lee Road", note, StringComparison.Ordinal);
        Assert.DoesNotContain("May Lee signed", note, StringComparison.Ordinal);
        Assert.Contains("Next batch in May, via Lee Road.", Policies.ResponseText(second), StringComparison.Ordinal);
    }

    /// <summary>
    /// A password sits beside the name of many things that are not people: a database connection, a Wi-Fi network, a
    /// mail account, a service account. Since round 11a the password alone made such a name a person's: a connection
    /// "Analytics" was tokenized in the create, while the later <c>GET /connections/Analytics</c> (no password there, and
    /// a one-word name is never carried) kept it, so replay created <c>tok_name_…</c> and then read a connection that did
    /// not exist. A password is evidence of a person signing up only for a name written as a person's full name (so a
    /// "Production Db", capitalised words, still reads as one).
    /// </summary>
    [Theory]
    [InlineData("""{"name":"Analytics","host":"db.internal","port":5432,"user":"etl","password":"S3cret-pass-77"}""", "Analytics")]
    [InlineData("""{"name":"Warehouse","driver":"postgres","password":"S3cret-pass-77"}""", "Warehouse")]
    [InlineData("""{"name":"backup-svc","password":"S3cret-pass-77"}""", "backup-svc")]
    public void ANameBesideAPassword_ThatIsNoPersonsFullName_IsKept(string body, string name)
    {
        using var document = JsonDocument.Parse(Policies.RequestText(Policies.Default.Redact(Policies.Json(body))));

        Assert.Equal(name, document.RootElement.GetProperty("name").GetString());
    }

    private static string RedactedQuery(string query)
    {
        var redacted = Policies.Default.Redact(Policies.Json(JsonSerializer.Serialize(new { query })));
        using var document = JsonDocument.Parse(Policies.RequestText(redacted));
        return document.RootElement.GetProperty("query").GetString()!;
    }

    /// <summary>
    /// GraphQL commas are insignificant: a query written over several lines (Prettier's layout, sent as written by
    /// graphql-request or a plain HTTP client) separates its variable definitions by line breaks alone. Only a definition
    /// after "(" or "," kept its type, so "$password: String!" on its own line was masked ("$password: *******"), the
    /// query no longer parsed, and the same-value pass masked every later "String!" of the stream.
    /// </summary>
    [Fact]
    public void VariableDefinitions_SeparatedByLineBreaksAlone_KeepTheirTypes()
    {
        const string Query = "mutation Register(\n  $email: String!\n  $password: String!\n  $token: String = null\n) {\n  register(input: {email: $email, password: $password, token: $token}) {\n    id\n  }\n}";

        Assert.Equal(Query, RedactedQuery(Query));
    }

    /// <summary>Guard: the default value of such a definition is still judged.</summary>
    [Fact]
    public void ADefaultValue_OfADefinitionOnItsOwnLine_IsStillJudged()
    {
        var query = RedactedQuery("query Q(\n  $limit: Int = 10\n  $password: String = \"hunter2-Secret\"\n) { login(password: $password) { ok } }");

        Assert.DoesNotContain("hunter2-Secret", query, StringComparison.Ordinal);
        Assert.Contains("$password: String = \"", query, StringComparison.Ordinal);
    }
}
