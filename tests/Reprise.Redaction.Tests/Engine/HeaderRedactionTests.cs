using Reprise.Core.Model;
using Reprise.Redaction.Engine;
using Reprise.Redaction.Policy;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>Header names are matched in lower case whatever their spelling, and locations name them so.</summary>
public sealed class HeaderRedactionTests
{
    private static readonly RedactionPolicy SharedPolicy = RedactionPolicy.CreateDefault(RedactionKey.FromText("header-test-key-0123456789abcdef"));

    private static RedactionPolicy Policy => SharedPolicy.NewStream();

    /// <summary>A request to https://api.acme.test/ with these headers, redacted by the default policy.</summary>
    private static Exchange Redact(params HeaderField[] headers) => Policy.Redact(new Exchange
    {
        Id = "x",
        StartedAt = DateTimeOffset.UnixEpoch,
        Request = new ExchangeRequest { Method = "GET", Url = "https://api.acme.test/", Headers = [.. headers] },
    });

    [Theory]
    [InlineData("Content-Type", "content-type")]
    [InlineData("content-type", "content-type")]
    [InlineData("X-API-KEY", "x-api-key")]
    [InlineData("X-Ärger", "x-ärger")]
    [InlineData("x-ärger", "x-ärger")]
    [InlineData("", "")]
    public void LowerName_IsTheInvariantLowerCase(string name, string expected)
    {
        Assert.Equal(expected, HeaderRedactor.LowerName(name));
        Assert.Equal(expected, HeaderRedactor.LowerName(name)); // again: the same answer
    }

    /// <summary>Identity headers a gateway or client sets are matched by name like fields; request and correlation ids are not.</summary>
    [Fact]
    public void IdentityHeaders_MatchedByNameLikeFields_RequestIdsKept()
    {
        var headers = Redact(new("X-Customer-Id", "C-1234567"), new("X-Forwarded-User", "jdoe"), new("x-user-id", "4821376"), new("X-Request-Id", "req-7f3a9c"), new("X-Correlation-Id", "c0ffee-42")).Request.Headers;

        Assert.StartsWith("tok_id_", headers.Get("x-customer-id"), StringComparison.Ordinal);
        Assert.StartsWith("tok_id_", headers.Get("x-forwarded-user"), StringComparison.Ordinal);
        Assert.NotEqual("4821376", headers.Get("x-user-id"));
        Assert.Equal("req-7f3a9c", headers.Get("x-request-id"));
        Assert.Equal("c0ffee-42", headers.Get("x-correlation-id"));
    }

    /// <summary>Masked session credentials of one length read alike; the keyed token in a tag still tells users apart.</summary>
    [Fact]
    public void MaskedAuthorizationAndCookie_TaggedWithTheirKeyedToken_IdempotentOnASecondPass()
    {
        static Exchange Of(string credential, string cookie) => Redact(new("Authorization", "Bearer " + credential), new("Cookie", "sid=" + cookie));

        var ann = Of("abcdefghij0123456789abcdefghi1", "s3ss10nAnn0001");
        var bob = Of("abcdefghij0123456789abcdefghi2", "s3ss10nBob0002");
        var annAgain = Of("abcdefghij0123456789abcdefghi1", "s3ss10nAnn0001");

        Assert.Equal(ann.Request.Headers.Get("authorization"), bob.Request.Headers.Get("authorization")); // masks alike
        Assert.NotEqual(ann.Tags[WellKnownTags.RedactedAuthorization], bob.Tags[WellKnownTags.RedactedAuthorization]);
        Assert.NotEqual(ann.Tags[WellKnownTags.RedactedCookie], bob.Tags[WellKnownTags.RedactedCookie]);
        Assert.Equal(ann.Tags[WellKnownTags.RedactedAuthorization], annAgain.Tags[WellKnownTags.RedactedAuthorization]);
        Assert.StartsWith("tok_secret_", ann.Tags[WellKnownTags.RedactedAuthorization], StringComparison.Ordinal);
        Assert.Same(ann, Policy.Redact(ann)); // a second pass changes nothing
    }

    [Fact]
    public void MixedCaseHeaders_RedactedAndLocatedInLowerCase()
    {
        var redacted = Redact(new("AUTHORIZATION", "Bearer abcdef0123456789abcdef"), new("X-Contact", "ann.lee@gmail.com"), new("Accept", "application/json"), new("X-API-Key", "k-1234567890abcdef"));

        Assert.Equal(["request.header:authorization", "request.header:x-contact", "request.header:x-api-key"], redacted.Redactions.Select(r => r.Location));
        Assert.Equal("AUTHORIZATION", redacted.Request.Headers[0].Name);
        Assert.StartsWith("Bearer ***", redacted.Request.Headers[0].Value, StringComparison.Ordinal);
        Assert.StartsWith("tok_email_", redacted.Request.Headers[1].Value, StringComparison.Ordinal);
        Assert.Equal("application/json", redacted.Request.Headers[2].Value);
        Assert.DoesNotContain("1234567890abcdef", redacted.Request.Headers[3].Value, StringComparison.Ordinal);
    }
    /// <summary>
    /// QA round 7 (httpbin <c>/basic-auth/USER/PASSWORD</c>): the Basic header was masked, but the password it
    /// encodes stayed raw in the URL and the user name in the body. Both are now replaced wherever they appear.
    /// </summary>
    [Fact]
    public void BasicCredentials_UserAndPasswordElsewhereInTheExchange_Replaced()
    {
        const string user = "alice.qa7", password = "Tr0ub4dor-xyzzy-77";
        var exchange = new Exchange
        {
            Id = "b",
            StartedAt = DateTimeOffset.UnixEpoch,
            Request = new ExchangeRequest
            {
                Method = "GET",
                Url = $"http://127.0.0.1:8801/basic-auth/{user}/{password}",
                Headers = [new("Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + password)))],
            },
            Response = new ExchangeResponse { Status = 200, Headers = [new("Content-Type", "application/json")], Body = ExchangeBody.FromText($$"""{"authenticated":true,"user":"{{user}}"}""", "application/json") },
        };

        var redacted = Policy.Redact(exchange);

        var json = System.Text.Encoding.UTF8.GetString(Reprise.Core.Recording.ExchangeJson.Serialize(redacted));
        Assert.DoesNotContain(password, json, StringComparison.Ordinal);
        Assert.DoesNotContain(user, json, StringComparison.Ordinal);
        Assert.Contains(redacted.Redactions, r => r.Location == "request.url" && r.Rule == "same-value:header-deny");
        Assert.StartsWith("http://127.0.0.1:8801/basic-auth/", redacted.Request.Url, StringComparison.Ordinal);
    }

    [Fact]
    public void DigestUserName_ElsewhereInTheExchange_Replaced()
    {
        var exchange = new Exchange
        {
            Id = "d",
            StartedAt = DateTimeOffset.UnixEpoch,
            Request = new ExchangeRequest
            {
                Method = "GET",
                Url = "http://127.0.0.1:8801/digest-auth/auth/bob.qa7",
                Headers = [new("Authorization", "Digest username=\"bob.qa7\", realm=\"me@kennethreitz.com\", nonce=\"87fb9984337b2be7dfe7d646777f3946\", uri=\"/digest-auth/auth/bob.qa7\", response=\"0f5e0c2b1f7a\"")],
            },
        };

        var redacted = Policy.Redact(exchange);

        Assert.DoesNotContain("bob.qa7", redacted.Request.Url, StringComparison.Ordinal);
    }

    [Fact]
    public void BasicCredentials_NotBase64_OnlyTheHeaderMasked()
    {
        var redacted = Redact(new HeaderField("Authorization", "Basic not-base64!"));

        Assert.Equal("Basic ***********", redacted.Request.Headers[0].Value);
    }
}
