using Reprise.Core.Model;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

/// <summary>
/// <c>Jane Doe &lt;jane@corp.com&gt;</c> (mail headers, commit trailers, package authors, address lists): the address was
/// tokenized and the name next to it reached the recording raw, in any field and in text bodies. The display name of a
/// mailbox is a person's name wherever it stands.
/// </summary>
public sealed class MailboxNameTests
{
    private static List<string> Names(string text)
    {
        var spans = new List<(int Start, int Length)>();
        new MailboxNameDetector().Find(text, spans);
        return [.. spans.Select(s => text.Substring(s.Start, s.Length))];
    }

    [Theory]
    [InlineData("Jane Doe <jane.doe@corp.com>", "Jane Doe")]
    [InlineData("Signed-off-by: Robert Smith <rsmith@gmail.com>", "Robert Smith")]
    [InlineData("\"Doe, Jane\" <jane.doe@corp.com>", "Doe, Jane")]
    [InlineData("please contact Jane Doe <jane.doe@corp.com> for access", "Jane Doe")]
    [InlineData("Ludwig van Beethoven <lvb@music.org>", "Ludwig van Beethoven")]
    [InlineData("jane doe <jane.doe@corp.com>", "jane doe")]
    [InlineData("To: a@b.io, José Núñez <jose@corp.es>", "José Núñez")]
    [InlineData("From: Carol Danvers &lt;carol@corp.net&gt;", "Carol Danvers")]
    [InlineData("jane.doe@corp.com (Jane Doe)", "Jane Doe")]
    [InlineData("Mary-Jane O'Neil<mj@corp.ie>", "Mary-Jane O'Neil")]
    public void TheDisplayNameOfAMailbox_IsFound(string text, string name) =>
        Assert.Equal([name], Names(text));

    [Theory]
    [InlineData("contact <jane.doe@corp.com>")]
    [InlineData("please write to <jane.doe@corp.com>")]
    [InlineData("email: <jane.doe@corp.com>")]
    [InlineData("Jane Doe <jane.doe@corp.test>")]
    [InlineData("tok_name_kuiyqw3w3tdszcbw <tok_email_dx5vx3a7if3vifkj@redacted.example.com>")]
    [InlineData("\"jane.doe@corp.com\" <jane.doe@corp.com>")]
    [InlineData("Jane Doe jane.doe@corp.com")]
    [InlineData("jane.doe@corp.com (ticket #42: reopened)")]
    public void NoNameNextToAnAddress_NothingFound(string text) =>
        Assert.Empty(Names(text));

    [Fact]
    public void NamesOfMailboxes_InJsonAndText_AreTokenized_AndRedactionStaysIdempotent()
    {
        var json = """{"author":"Jane Doe <jane.doe@corp.com>","to":"\"Walker, Alice\" <alice@corp.org>, Bob Stone <bob@corp.io>","message":"fix\n\nSigned-off-by: Robert Smith <rsmith@gmail.com>"}""";
        var exchange = Testing.Exchanges.Send("POST", "https://git.acme.test/api/commits", json, "{}", id: "m1");
        exchange = exchange with
        {
            Response = exchange.Response! with { Body = ExchangeBody.FromText("From: Carol Danvers <carol@corp.net>\nReply-To: \"Danvers, Carol\" <c.danvers@corp.net>\n\nHi", "text/plain") },
        };
        var policy = Policies.Default;

        var redacted = policy.Redact(exchange);
        var text = Policies.RequestText(redacted) + Policies.ResponseText(redacted);

        foreach (var name in new[] { "Jane Doe", "Walker", "Alice", "Bob Stone", "Robert Smith", "Carol Danvers", "Danvers, Carol" })
        {
            Assert.DoesNotContain(name, text, StringComparison.Ordinal);
        }

        Assert.Contains(redacted.Redactions, r => r.Rule == "mailbox-name");
        Assert.Contains("Signed-off-by: tok_name_", text, StringComparison.Ordinal);
        using (System.Text.Json.JsonDocument.Parse(Policies.RequestText(redacted)))
        {
        }

        var again = policy.Redact(redacted);
        Assert.Equal(Policies.RequestText(redacted), Policies.RequestText(again));
        Assert.Equal(Policies.ResponseText(redacted), Policies.ResponseText(again));
    }

    [Fact]
    public void AMailboxNameTokenized_IsCarriedToItsLaterPlainOccurrences()
    {
        var policy = Policies.Default;
        var first = policy.Redact(Policies.Json("""{"author":"Jane Doe <jane.doe@corp.com>"}"""));
        var later = policy.Redact(Policies.Json("""{"note":"reviewed by Jane Doe"}"""));

        var token = System.Text.RegularExpressions.Regex.Match(Policies.RequestText(first), "tok_name_[a-z0-9]+(?: tok_name_[a-z0-9]+)*").Value;
        Assert.NotEmpty(token);
        Assert.Equal($$"""{"note":"reviewed by {{token}}"}""", Policies.RequestText(later));
    }
}
