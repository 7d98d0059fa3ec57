using Reprise.Core.Model;
using Reprise.Redaction.Engine;
using Reprise.Redaction.Policy;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>Header names are matched in lower case whatever their spelling, and locations name them so.</summary>
public sealed class HeaderRedactionTests
{
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
        Assert.Equal(expected, HeaderRedactor.LowerName(name)); // again, from the cache
    }

    [Fact]
    public void MixedCaseHeaders_RedactedAndLocatedInLowerCase()
    {
        var policy = RedactionPolicy.CreateDefault(RedactionKey.FromText("header-test-key-0123456789abcdef"));
        var exchange = new Exchange
        {
            Id = "x",
            StartedAt = DateTimeOffset.UnixEpoch,
            Request = new ExchangeRequest
            {
                Method = "GET",
                Url = "https://api.acme.test/",
                Headers = [new("AUTHORIZATION", "Bearer abcdef0123456789abcdef"), new("X-Contact", "ann.lee@gmail.com"), new("Accept", "application/json"), new("X-API-Key", "k-1234567890abcdef")],
            },
        };

        var redacted = policy.Redact(exchange);

        Assert.Equal(["request.header:authorization", "request.header:x-contact", "request.header:x-api-key"], redacted.Redactions.Select(r => r.Location));
        Assert.Equal("AUTHORIZATION", redacted.Request.Headers[0].Name);
        Assert.StartsWith("Bearer ***", redacted.Request.Headers[0].Value, StringComparison.Ordinal);
        Assert.StartsWith("tok_email_", redacted.Request.Headers[1].Value, StringComparison.Ordinal);
        Assert.Equal("application/json", redacted.Request.Headers[2].Value);
        Assert.DoesNotContain("1234567890abcdef", redacted.Request.Headers[3].Value, StringComparison.Ordinal);
    }
}
