using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

public sealed class NameSpreadIntoUrlTests(ITestOutputHelper output)
{
    // A person found by the body's fullName field; the same person typed in lower or upper case in the search URL.
    [Theory]
    [InlineData("https://crm.acme.test/api/contacts?q=maria%20gonzalez")]
    [InlineData("https://crm.acme.test/api/contacts?q=MARIA+GONZALEZ")]
    [InlineData("https://crm.acme.test/api/contacts/by-name/maria%20gonzalez")]
    public void NameInUrl_InAnotherCase_StillRedacted(string url)
    {
        var exchange = Testing.Exchanges.Get(url, """{"results":[{"fullName":"Maria Gonzalez","email":"mg@mailbox.org"}]}""");
        var redacted = Policies.Default.Redact(exchange);
        output.WriteLine(redacted.Request.Url);
        output.WriteLine(Policies.ResponseText(redacted));
        Assert.DoesNotContain("gonzalez", redacted.Request.Url, StringComparison.OrdinalIgnoreCase);
    }
}
