using System.Text.Json;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 11a (Node-RED): a flow tab's <c>info</c> said <c>Owner: Maria Gonzalez &lt;maria.gonzalez@example.org&gt;</c>;
/// the address was tokenized and the name kept, in the deploy body and every flow listing after it (5 occurrences; also
/// round 10a's torrent <c>created by</c>). The display name of a mailbox is the person's; and a sign-up's bare
/// <c>name</c> beside a <c>password</c> is a person's (<c>/api/signup</c> kept "Jonas Schmidt", and its greeting).
/// </summary>
public sealed class MailboxNameFieldTests
{
    private static string Field(string requestJson, string name)
    {
        using var document = JsonDocument.Parse(Policies.RequestText(Policies.Default.Redact(Policies.Json(requestJson))));
        return document.RootElement.GetProperty(name).GetString()!;
    }

    [Theory]
    [InlineData("Owner: Maria Gonzalez <maria.gonzalez@mailbox.org>", "Owner: ")]
    [InlineData("Maria Gonzalez <maria.gonzalez@mailbox.org> (https://maria.dev)", "")]
    [InlineData("From: \"Gonzalez, Maria\" <maria.gonzalez@mailbox.org>", "From: \"")]
    public void TheDisplayNameOfAMailbox_IsTokenizedLikeAFullName(string text, string kept)
    {
        var info = Field(JsonSerializer.Serialize(new { info = text }), "info");

        Assert.DoesNotContain("Maria", info, StringComparison.Ordinal);
        Assert.DoesNotContain("Gonzalez", info, StringComparison.Ordinal);
        Assert.StartsWith(kept + "tok_name_", info, StringComparison.Ordinal);
    }

    [Fact]
    public void WordsBeforeTheName_AndAnAddressWithoutOne_StayAsTheyAre()
    {
        Assert.Matches("^write to <tok_email_[a-z2-7]{16}@redacted.example.com>$", Field("""{"info":"write to <maria.gonzalez@mailbox.org>"}""", "info"));
        Assert.Matches("^mail the team tok_name_[a-z2-7]{16} tok_name_[a-z2-7]{16} <tok_email_", Field("""{"info":"mail the team Maria Gonzalez <maria.gonzalez@mailbox.org>"}""", "info"));
    }

    [Fact]
    public void ABareNameBesideAPassword_IsAPersons()
    {
        var body = """{"name":"Jonas Schmidt","email":"jonas.schmidt@posteo.de","password":"Sign-up-Pass-5520"}""";

        Assert.StartsWith("tok_name_", Field(body, "name"), StringComparison.Ordinal);
        Assert.Equal("Production Db", Field("""{"name":"Production Db","host":"db.internal"}""", "name"));
    }
}
