using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests;

/// <summary>Review of the QA round 14a/14b redaction rules (senior review 14b).</summary>
public sealed class ReviewFindings14b
{
    /// <summary>
    /// A JSON object's members have no order (RFC 8259 4): <c>{"value": "…", "name": "DB_PASSWORD"}</c> is the same pair as
    /// the one written name first, and a serializer that writes the value first (a JavaScript object built as
    /// <c>{value, name}</c>, a class declaring <c>Value</c> before <c>Name</c>) sent the password to disk raw.
    /// </summary>
    [Theory]
    [InlineData("{\"env\":[{\"value\":\"s3cr3t-Value\",\"name\":\"DB_PASSWORD\"}]}", "s3cr3t-Value")]
    [InlineData("{\"macros\":[{\"hostmacroid\":\"7\",\"value\":\"Macro-Secret-5512\",\"type\":1,\"macro\":\"{$DB.PASSWORD}\"}]}", "Macro-Secret-5512")]
    [InlineData("{\"settings\":[{\"value\":\"a8f3Kq9ZpL2mX7vB4nR1\",\"meta\":{\"key\":\"x\"},\"key\":\"api_token\"}]}", "a8f3Kq9ZpL2mX7vB4nR1")]
    public void AValueBeforeTheMemberNamingACredential_IsThatCredential(string body, string secret) =>
        Assert.DoesNotContain(secret, Policies.RequestText(Policies.Default.Redact(Policies.Json(body))), StringComparison.Ordinal);

    /// <summary>Guards: value-first pairs naming no credential, and a nested object's name, are kept.</summary>
    [Theory]
    [InlineData("{\"env\":[{\"value\":\"30s\",\"name\":\"TIMEOUT\"}]}")]
    [InlineData("{\"fields\":[{\"value\":\"Weekly report\",\"meta\":{\"name\":\"password\"},\"name\":\"title\"}]}")]
    [InlineData("{\"value\":\"Weekly report\",\"child\":{\"name\":\"password\"}}")]
    public void ValueFirstPairsNamingNoCredential_AreKept(string body) =>
        Assert.Equal(body, Policies.RequestText(Policies.Default.Redact(Policies.Json(body))));
}
