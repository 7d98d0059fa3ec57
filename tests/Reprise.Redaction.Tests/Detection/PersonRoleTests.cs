using Reprise.Redaction.Detection;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

/// <summary>
/// QA round 9 (Icinga 2 REST API): a comment's and a downtime's <c>author</c> and a host variable <c>owner</c> held
/// "Jonas Schmidt" in the requests and in every answer echoing them, and reached the recording raw (no detector knew
/// those names); the notes text naming him in the same body went with it. A person in a role is a full name written
/// as one; a login in the same field (<c>root</c>, <c>icingaadmin</c>) stays.
/// </summary>
public sealed class PersonRoleTests
{
    [Fact]
    public void AuthorAndOwner_HoldingAFullName_AreTokenized_WithTheNameElsewhereInTheBody()
    {
        var exchange = Policies.Json(
            """{"type":"Host","host":"web-01","author":"Jonas Schmidt","comment":"Maintenance planned"}""",
            """{"results":[{"attrs":{"vars":{"owner":"Jonas Schmidt","role":"db"},"notes":"Contact Jonas Schmidt at the desk"},"name":"web-01"}]}""");

        var redacted = Policies.Default.Redact(exchange);

        Assert.DoesNotContain("Jonas", Policies.RequestText(redacted), StringComparison.Ordinal);
        Assert.DoesNotContain("Jonas", Policies.ResponseText(redacted), StringComparison.Ordinal);
        Assert.Contains("\"comment\":\"Maintenance planned\"", Policies.RequestText(redacted), StringComparison.Ordinal);
        Assert.Contains("\"name\":\"web-01\"", Policies.ResponseText(redacted), StringComparison.Ordinal);
        Assert.Contains(redacted.Redactions, r => r.Location == "request.body:$.author" && r.Rule == "person-role" && r.Action == "tokenize");
    }

    [Fact]
    public void RoleFields_HoldingALoginOrATeam_AreLeftAlone()
    {
        var exchange = Policies.Json(
            """{"author":"icingaadmin","owner":"root","assignee":"jdoe","createdBy":"ci-bot","reporter":"ADMIN TEAM","creator":42}""",
            """{"author":"system","owner":{"login":"octocat"}}""");

        var redacted = Policies.Default.Redact(exchange);

        Assert.DoesNotContain(redacted.Redactions, r => r.Rule == "person-role");
    }

    [Fact]
    public void ThePeopleOfAPackage_ContributorsAndMaintainers_HaveTheirNamesTokenized_LikeItsAuthor()
    {
        // QA round 10b (Verdaccio, npm publish): a package.json's contributors [{"name":"Jonas Schmidt","email":…}] had the
        // email tokenized and the name kept, in the publish body and in every packument served after it (16 times).
        var exchange = Policies.Json(
            """{"name":"@qa/customer-notes","author":{"name":"Maria Gonzalez","email":"maria.gonzalez@example.org"},"contributors":[{"name":"Jonas Schmidt","email":"jonas.schmidt@example.org"}]}""",
            """{"name":"@qa/customer-notes","maintainers":[{"name":"Ana Lima","email":"ana.lima@example.org"}],"collaborators":[{"name":"Li Wei"}]}""");

        var redacted = Policies.Default.Redact(exchange);

        Assert.DoesNotContain("Jonas Schmidt", Policies.RequestText(redacted), StringComparison.Ordinal);
        Assert.DoesNotContain("Ana Lima", Policies.ResponseText(redacted), StringComparison.Ordinal);
        Assert.DoesNotContain("Li Wei", Policies.ResponseText(redacted), StringComparison.Ordinal);
        Assert.Contains("\"name\":\"@qa/customer-notes\"", Policies.RequestText(redacted), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Jonas Schmidt", true)]
    [InlineData("Mary-Ann O'Neil", true)]
    [InlineData("J. R. Tolkien", true)]
    [InlineData("María José Carreño Quiñones", true)]
    [InlineData("root", false)]
    [InlineData("jonas schmidt", false)]
    [InlineData("ADMIN TEAM", false)]
    [InlineData("ci-bot", false)]
    [InlineData("Jonas", false)]
    [InlineData("A B C D E", false)]
    [InlineData("Build 42 Runner", false)]
    [InlineData("tok_name_vqdomnkodkry3lwz", false)]
    public void LooksLikeFullName(string value, bool expected) =>
        Assert.Equal(expected, BuiltInDetectors.LooksLikeFullName(value));
}
