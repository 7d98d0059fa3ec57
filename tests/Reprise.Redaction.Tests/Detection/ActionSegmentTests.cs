using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

/// <summary>
/// QA round 12b (Django admin): the add form posts <c>name=Maria+Gonzalez&amp;email=…</c> to
/// <c>/admin/customers/customer/add/</c> and the change form to <c>/admin/customers/customer/1/change/</c>. The
/// request's resource was read as <c>add</c> / <c>change</c>, so the bare <c>name</c> was not a person's: the name went
/// to disk raw, and so did every change list, title and message echoing it (41 times). A trailing create/update/delete
/// verb is an action on the resource before it.
/// </summary>
public sealed class ActionSegmentTests
{
    private static string FormAfter(string url, string form)
    {
        var exchange = Testing.Exchanges.Send("POST", url, "{}") with
        {
            Request = new ExchangeRequest
            {
                Method = "POST",
                Url = url,
                Headers = [new("Content-Type", "application/x-www-form-urlencoded")],
                Body = ExchangeBody.FromText(form, "application/x-www-form-urlencoded"),
            },
        };
        return Policies.RequestText(Policies.Default.Redact(exchange));
    }

    [Theory]
    [InlineData("http://crm.test/admin/customers/customer/add/")]
    [InlineData("http://crm.test/admin/customers/customer/1/change/")]
    [InlineData("http://crm.test/users/7/edit")]
    [InlineData("http://crm.test/contacts/new")]
    public void ATrailingFormVerb_NamesAnActionOnTheResourceBeforeIt(string url)
    {
        var form = FormAfter(url, "name=Maria+Gonzalez&notes=Prefers+email&_save=Save");
        Assert.DoesNotContain("Maria", form, StringComparison.Ordinal);
        Assert.Contains("notes=Prefers+email&_save=Save", form, StringComparison.Ordinal);
    }

    [Fact]
    public void TheResourceBeforeIt_StillDecides()
    {
        Assert.Contains("name=Garden+Chair", FormAfter("http://shop.test/admin/catalog/product/add/", "name=Garden+Chair&price=12"), StringComparison.Ordinal);
    }
}
