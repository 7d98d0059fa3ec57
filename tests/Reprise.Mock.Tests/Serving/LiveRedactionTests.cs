using System.Collections.Immutable;
using System.Net;
using System.Text;
using Reprise.Core.Model;
using Reprise.Mock.Matching;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>A redacted recording: live requests go through the recording's policy before matching and journaling.</summary>
public sealed class LiveRedactionTests
{
    private const string Raw = "jane@mail.com";
    private const string Token = "tok_email_aaaaaaaaaaaaaaaa@redacted.example.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RedactedRecording_LiveRawValue_MatchesTokenAndJournalHoldsNoRawValue()
    {
        using var dir = new TempDir();
        var recorded = MockFixtures.Send("POST", "https://api.test/pay?email=" + Token, $$"""{"email":"{{Token}}","amount":5}""", """{"ok":true}""", 201)
            with { Redactions = ImmutableArray.Create(new Redaction("request.body:$.email", "email", "tokenize")) };
        var redactor = new ReplacingRedactor(Raw, Token);
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded], o => o with { Redactor = redactor, Index = o.Index with { Key = KeyPolicy.Exact } });
        await using (server)
        {
            using var same = new StringContent($$"""{"email":"{{Raw}}","amount":5}""", Encoding.UTF8, "application/json");
            var hit = await client.PostAsync("/pay?email=" + Uri.EscapeDataString(Raw), same, Ct);
            Assert.Equal(HttpStatusCode.Created, hit.StatusCode);
            Assert.Equal("""{"ok":true}""", await hit.Content.ReadAsStringAsync(Ct));

            using var other = new StringContent($$"""{"email":"{{Raw}}","amount":6}""", Encoding.UTF8, "application/json");
            var miss = await client.PostAsync("/pay?email=" + Uri.EscapeDataString(Raw), other, Ct);
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
            var missBody = await miss.Content.ReadAsStringAsync(Ct);
            Assert.Contains("amount", missBody, StringComparison.Ordinal);
            Assert.DoesNotContain(Raw, missBody, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(Raw), missBody, StringComparison.Ordinal);

            var journal = await client.GetStringAsync("/_reprise/mock/requests", Ct);
            Assert.DoesNotContain(Raw, journal, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(Raw), journal, StringComparison.Ordinal);
            Assert.Contains(Token, journal, StringComparison.Ordinal);
            Assert.Equal(2, redactor.Calls);
        }
    }

    /// <summary>
    /// QA11b (WordPress XML-RPC, <c>wp.getProfile(1, user, password)</c>): the recorder masked the positional password
    /// because the login form had shown it earlier in the stream; the mock redacts each live request alone, so the live
    /// password stayed raw, the call missed, and the miss body, journal and <c>--miss-report</c> named it
    /// (<c>param[2]/value/string: 'WpAdmin-…' (recorded '****…')</c>). A live value where the recording holds a mask or
    /// token is withheld, and so is one at a leaf another recorded request holds redacted.
    /// </summary>
    [Fact]
    public async Task Miss_ALiveValueWhereTheRecordingHoldsAMask_IsNotShown()
    {
        const string Password = "WpAdmin-qa11b-Pass!9";
        static string Call(string password) =>
            $"<?xml version='1.0'?><methodCall><methodName>wp.getProfile</methodName><params><param><value><int>1</int></value></param><param><value><string>{password}</string></value></param></params></methodCall>";
        using var dir = new TempDir();
        var recorded = MockFixtures.Send("POST", "https://blog.test/xmlrpc.php", Call(new string('*', Password.Length)), "<methodResponse/>", contentType: "text/xml")
            with { Redactions = ImmutableArray.Create(new Redaction("request.body:/methodCall/params/param[1]/value/string", "same-value:password", "mask")) };
        // Another call recorded with a password the recorder never saw named (a wrong one, raw): its leaf is the same.
        var other = MockFixtures.Send("POST", "https://blog.test/xmlrpc.php", Call("Wrong-qa11b-Pass").Replace("getProfile", "getPosts", StringComparison.Ordinal), "<fault/>", contentType: "text/xml", offsetMs: 5);
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded, other], o => o with { Redactor = new ReplacingRedactor("nothing-to-replace", "x"), Index = o.Index with { Key = KeyPolicy.Exact } });
        await using (server)
        {
            using var live = new StringContent(Call(Password), Encoding.UTF8, "text/xml");
            var miss = await client.PostAsync("/xmlrpc.php", live, Ct);
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
            var missBody = await miss.Content.ReadAsStringAsync(Ct);
            Assert.Contains("param[1]/value/string: live value withheld", missBody, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, missBody, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, await client.GetStringAsync("/_reprise/mock/requests", Ct), StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// A request value tokenized in the recording only because the recorded response echoed it (a created user's name,
    /// spread by the same-value pass) stays raw when the live request alone is redacted; the mock tokenizes it with the
    /// recording's key where the recording holds only tokens, so it meets its token exactly (QA3 finding B').
    /// </summary>
    [Fact]
    public async Task RawValueAtALeafRecordedOnlyAsTokens_IsTokenizedWithTheKey_ExactMatch()
    {
        using var dir = new TempDir();
        const string NameToken = "tok_name_aaaaaaaaaaaaaaaa";
        var recorded = MockFixtures.Send("POST", "https://api.test/graphql", "{\"query\":\"mutation { createUser }\",\"variables\":{\"name\":\"" + NameToken + "\"}}", """{"data":{"createUser":{"id":"tok_id_bbbbbbbbbbbbbbbb"}}}""")
            with { Redactions = ImmutableArray.Create(new Redaction("request.body:$.variables.name", "same-value:person-name", "tokenize")) };
        var tokens = new NameTokens(("Jane Roe", NameToken));
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded], o => o with { Redactor = tokens, Index = o.Index with { Key = KeyPolicy.Exact } });
        await using (server)
        {
            using var same = new StringContent("""{"query":"mutation { createUser }","variables":{"name":"Jane Roe"}}""", Encoding.UTF8, "application/json");
            var hit = await client.PostAsync("/graphql", same, Ct);
            Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
            Assert.Contains("createUser", await hit.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

            using var other = new StringContent("""{"query":"mutation { createUser }","variables":{"name":"Bob Smith"}}""", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/graphql", other, Ct)).StatusCode);
        }
    }

    /// <summary>Redacts nothing in a live request; tokenizes the names it knows (a stand-in for the recording's policy).</summary>
    private sealed class NameTokens(params (string Raw, string Token)[] known) : Reprise.Core.Pipeline.IExchangeRedactor, Reprise.Core.Pipeline.IRedactionTokens
    {
        public string PolicyName => "test";

        public string PolicyDigest => "sha256:test";

        public Exchange Redact(Exchange exchange) => exchange;

        public string? TokenLike(string token, string value) =>
            token.StartsWith("tok_name_", StringComparison.Ordinal) ? known.FirstOrDefault(k => k.Raw == value).Token ?? "tok_name_zzzzzzzzzzzzzzzz" : null;
    }

    [Fact]
    public async Task RedactorFails_Answers500AndJournalsNothing()
    {
        using var dir = new TempDir();
        var recorded = MockFixtures.Get("https://api.test/me?email=" + Token, """{"ok":true}""") with { Redactions = ImmutableArray.Create(new Redaction("request.url", "email", "tokenize")) };
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded], o => o with { Redactor = new ThrowingRedactor() });
        await using (server)
        {
            Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("/me?email=" + Raw, Ct)).StatusCode);
            Assert.Equal(0, server.Journal.ServedCount + server.Journal.MissCount);
        }
    }

    [Fact]
    public async Task UnredactedRecording_RequestsMatchedAsReceived()
    {
        using var dir = new TempDir();
        var recorded = MockFixtures.Send("POST", "https://api.test/pay?email=" + Raw, $$"""{"email":"{{Raw}}"}""", """{"ok":true}""", 201);
        var redactor = new ReplacingRedactor(Raw, Token);
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded], o => o with { Redactor = redactor, Index = o.Index with { Key = KeyPolicy.Exact } });
        await using (server)
        {
            using var same = new StringContent($$"""{"email":"{{Raw}}"}""", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/pay?email=" + Raw, same, Ct)).StatusCode);
            Assert.Equal(0, redactor.Calls);
        }
    }

    private sealed class ThrowingRedactor : Reprise.Core.Pipeline.IExchangeRedactor
    {
        public string PolicyName => "broken";

        public string PolicyDigest => "sha256:broken";

        public Exchange Redact(Exchange exchange) => throw new InvalidOperationException("detector bug");
    }
}
