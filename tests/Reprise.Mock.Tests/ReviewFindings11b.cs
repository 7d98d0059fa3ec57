using System.Collections.Immutable;
using System.Net;
using System.Text;
using Reprise.Core.Model;
using Reprise.Mock.Matching;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests;

/// <summary>
/// Review of QA round 11b's withheld miss values: a value shaped like a mask that redaction never wrote (a match-all
/// <c>q=*:*</c>, <c>fields=*</c>) hid the live value of that leaf on every endpoint, while a secret the recorder masked
/// inside a longer value, or in a query parameter, was still shown in the miss body and journal.
/// </summary>
public sealed class ReviewFindings11b
{
    private const string Password = "WpAdmin-qa11b-Pass!9";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Miss_AtALeafRecordedAsAWildcardNobodyRedacted_ShowsTheLiveValue()
    {
        using var dir = new TempDir();
        // Elasticsearch's match-all query and a field wildcard: mask-shaped, but no redaction wrote them.
        var all = MockFixtures.Get("https://search.test/jobs/_search?q=*:*&fields=*", """{"hits":3}""");
        var other = MockFixtures.Get("https://search.test/people/_search?q=name:ann", """{"hits":1}""", offsetMs: 5);
        var (server, client) = await MockFixtures.StartAsync(dir, [all, other], o => o with { Redactor = new ReplacingRedactor("nothing-to-replace", "x"), Index = o.Index with { Key = KeyPolicy.Exact } });
        await using (server)
        {
            var miss = await client.GetAsync("/jobs/_search?q=status:open&fields=title", Ct);
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
            var missBody = await miss.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("withheld", missBody, StringComparison.Ordinal);
            Assert.Contains("query.q: 'status:open'", missBody, StringComparison.Ordinal);

            // The same name on another endpoint is not withheld either.
            var second = await client.GetAsync("/people/_search?q=name:bob", Ct);
            Assert.Contains("query.q: 'name:bob'", await second.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Miss_ALiveValueWhoseRecordingMaskedASecretInsideIt_IsNotShown()
    {
        // The recorder masked a password learned earlier in the stream where it sat inside a longer value.
        using var dir = new TempDir();
        var recorded = MockFixtures.Send("POST", "https://rpc.test/call", """{"cmd":"login admin ********************"}""", """{"ok":true}""")
            with { Redactions = ImmutableArray.Create(new Redaction("request.body:$.cmd", "same-value:password", "mask")) };
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded], o => o with { Redactor = new ReplacingRedactor("nothing-to-replace", "x"), Index = o.Index with { Key = KeyPolicy.Exact } });
        await using (server)
        {
            using var live = new StringContent($$"""{"cmd":"login admin {{Password}}"}""", Encoding.UTF8, "application/json");
            var miss = await client.PostAsync("/call", live, Ct);
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
            var missBody = await miss.Content.ReadAsStringAsync(Ct);
            Assert.Contains("body.$.cmd: live value withheld", missBody, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, missBody, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, await client.GetStringAsync("/_reprise/mock/requests", Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Miss_TheLiveUrl_WithholdsAQueryValueTheRecordingHoldsRedacted()
    {
        // The difference line withheld the value, but the URL beside it, in the miss body and journal, named it.
        using var dir = new TempDir();
        var recorded = MockFixtures.Get("https://legacy.test/api/login?u=admin&p=" + new string('*', Password.Length), """{"ok":true}""")
            with { Redactions = ImmutableArray.Create(new Redaction("request.url:query.p", "same-value:password", "mask")) };
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded], o => o with { Redactor = new ReplacingRedactor("nothing-to-replace", "x"), Index = o.Index with { Key = KeyPolicy.Exact } });
        await using (server)
        {
            var miss = await client.GetAsync("/api/login?u=admin&p=" + Uri.EscapeDataString(Password), Ct);
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
            var missBody = await miss.Content.ReadAsStringAsync(Ct);
            Assert.Contains("query.p: live value withheld", missBody, StringComparison.Ordinal);
            Assert.Contains("u=admin", missBody, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, missBody, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(Password), missBody, StringComparison.Ordinal);
            var journal = await client.GetStringAsync("/_reprise/mock/requests", Ct);
            Assert.DoesNotContain(Password, journal, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(Password), journal, StringComparison.Ordinal);
        }
    }
}
