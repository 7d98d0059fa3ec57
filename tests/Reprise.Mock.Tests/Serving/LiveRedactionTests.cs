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
    private const string Token = "tok_email_aaaaaaaaaaaaaaaa@redacted.invalid";

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
