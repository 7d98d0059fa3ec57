using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 13c (ejabberd's <c>mod_http_api</c>): a new password travels in <c>newpass</c> and a roster contact's name in
/// <c>nick</c>; both went to disk raw (the passwords
/// of <c>register</c> and <c>check_password</c>, in <c>password</c>, were masked).
/// </summary>
public sealed class XmppAdminApiTests
{
    private static string Request(string command, string json) =>
        Policies.RequestText(Policies.Default.Redact(Testing.Exchanges.Send("POST", "http://127.0.0.1:5280/api/" + command, json, "0")));

    [Fact]
    public void ANewPassword_IsMasked()
    {
        var body = Request("change_password", """{"user": "jonas.schmidt", "host": "localhost", "newpass": "N3w-Secret-J0nas"}""");
        Assert.DoesNotContain("N3w-Secret-J0nas", body, StringComparison.Ordinal);
        Assert.Contains("\"host\": \"localhost\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public void ARosterNick_ThatIsAFullName_IsTokenized_AHandleStays()
    {
        Assert.DoesNotContain("Jonas Schmidt", Request("add_rosteritem", """{"localuser": "maria.gonzalez", "localhost": "localhost", "user": "jonas.schmidt", "host": "localhost", "nick": "Jonas Schmidt", "group": "Friends"}"""), StringComparison.Ordinal);
        Assert.Contains("\"nick\": \"jojo\"", Request("add_rosteritem", """{"user": "jonas.schmidt", "nick": "jojo"}"""), StringComparison.Ordinal);
    }
}
