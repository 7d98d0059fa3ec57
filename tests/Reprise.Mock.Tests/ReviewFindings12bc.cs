using System.Collections.Immutable;
using System.Net;
using System.Text;
using Reprise.Core.Model;
using Reprise.Mock.Matching;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests;

/// <summary>
/// Review of QA round 12c's email token domain: a recording made before it holds <c>tok_email_…@redacted.invalid</c>; the
/// mock redacts a live request with today's policy (<c>…@redacted.example.com</c>), so the same address never matched.
/// </summary>
public sealed class ReviewFindings12bc
{
    private const string Raw = "jane@mail.com";
    private const string Mac = "tok_email_aaaaaaaaaaaaaaaa";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARecordingWithLegacyEmailTokens_MatchesALiveRequestRedactedToday()
    {
        using var dir = new TempDir();
        var recorded = MockFixtures.Send("POST", "https://api.test/pay?email=" + Mac + "%40redacted.invalid", "{\"email\":\"" + Mac + "@redacted.invalid\",\"amount\":5}", """{"ok":true}""", 201)
            with { Redactions = ImmutableArray.Create(new Redaction("request.body:$.email", "email", "tokenize")) };
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded], o => o with { Redactor = new ReplacingRedactor(Raw, Mac + "@redacted.example.com"), Index = o.Index with { Key = KeyPolicy.Exact } });
        await using (server)
        {
            using var same = new StringContent("{\"email\":\"" + Raw + "\",\"amount\":5}", Encoding.UTF8, "application/json");
            var hit = await client.PostAsync("/pay?email=" + Uri.EscapeDataString(Raw), same, Ct);

            Assert.Equal(HttpStatusCode.Created, hit.StatusCode);
        }
    }
}
