using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 10a (Jupyter Notebook): the kernel protocol's message header says <c>"username": "username"</c> (the server's
/// default user), so the value "username" was tokenized as an account id and carried into later exchanges, where it
/// replaced the word in the login cookie's NAME (<c>username-127-0-0-1-7821=…</c> became <c>tok_id_…-127-0-0-1-7821</c>)
/// and the <c>username</c> member name of every later kernel message: the recording no longer said which cookie or field
/// the client sent. A carried or same-value replacement changes cookie values, never cookie names, and never a JSON
/// member name that is itself a field name a detector reads (a map keyed by a redacted id still is rewritten).
/// </summary>
public sealed class CarriedValueNamesTests
{
    private static Exchange With(Exchange exchange, string cookie, string body) => exchange with
    {
        Request = exchange.Request with
        {
            Headers = [new HeaderField("Cookie", cookie)],
            Body = ExchangeBody.FromText(body, "application/json"),
        },
    };

    [Fact]
    public void ATokenizedValue_CarriedLater_LeavesCookieNamesAndFieldNamesAlone()
    {
        var policy = Policies.Default;
        policy.Redact(Testing.Exchanges.Send("POST", "http://nb.test/api/kernels/k1/channels", "{}", """{"header":{"msg_id":"m1","username":"username","session":"s1"}}""", id: "c1"));

        var later = With(
            Testing.Exchanges.Send("POST", "http://nb.test/api/contents", "{}", "{}", id: "c2"),
            "username-127-0-0-1-7821=2|1:0|10:1795759181|23:username-127-0-0-1-7821|44:Yjk2ZjM3|abc; _xsrf=2|d1e2f3",
            """{"header":{"msg_id":"m2","username":"username"},"owners":{"username":1}}""");
        var redacted = policy.Redact(later);

        var cookie = redacted.Request.Headers[0].Value;
        Assert.StartsWith("username-127-0-0-1-7821=", cookie, StringComparison.Ordinal);
        Assert.Contains("; _xsrf=", cookie, StringComparison.Ordinal);
        Assert.Contains("\"username\":", Policies.RequestText(redacted), StringComparison.Ordinal);
    }

    [Fact]
    public void AMapKeyedByARedactedValue_IsStillRewritten()
    {
        var policy = Policies.Default;
        policy.Redact(Policies.Json("{}", """{"customerId":"C-7731-9920-4410"}"""));

        var redacted = policy.Redact(Policies.Json("{}", """{"balances":{"C-7731-9920-4410":12.5}}"""));

        Assert.DoesNotContain("C-7731-9920-4410", Policies.ResponseText(redacted), StringComparison.Ordinal);
    }
}
