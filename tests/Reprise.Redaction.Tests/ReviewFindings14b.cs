using Reprise.Core.Model;
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

    /// <summary>
    /// A passwd(5) line's login is judged as a username and tokenized, but a login too short to spread (fewer than six
    /// characters: <c>maria</c>, <c>jdoe</c>, the usual case) stayed raw one field later, in the home directory
    /// <c>/home/maria</c> of the same line: the token hid nothing. The home directory's last segment that is the login is
    /// the same value and gets the same token.
    /// </summary>
    [Theory]
    [InlineData("maria:x:1001:1001:Maria Gonzalez,,,:/home/maria:/bin/bash\n", "maria")]
    [InlineData("root:x:0:0:root:/root:/bin/bash\njdoe:x:1002:1002:John Doe,Room 4,,:/srv/home/jdoe:/bin/zsh\n", "jdoe")]
    public void APasswdLinesShortLogin_IsNotLeftRawInItsHomeDirectory(string text, string login)
    {
        var after = TextAfter(text);

        Assert.DoesNotContain(login + ":", after, StringComparison.Ordinal);
        Assert.DoesNotContain("/" + login + ":", after, StringComparison.Ordinal);
    }

    /// <summary>Guard: a home directory not named after the login, and a system account's, stay as they are.</summary>
    [Fact]
    public void APasswdLinesOtherHomeDirectory_IsKept()
    {
        var after = TextAfter("maria:x:1001:1001:Maria Gonzalez,,,:/var/lib/shared:/bin/bash\nroot:x:0:0:root:/root:/bin/bash\n");
        Assert.Contains(":/var/lib/shared:/bin/bash\nroot:x:0:0:root:/root:/bin/bash\n", after, StringComparison.Ordinal);
    }

    private static string TextAfter(string text)
    {
        var exchange = Testing.Exchanges.Get("http://console.test/api/run", "{}", id: "t1");
        exchange = exchange with
        {
            Response = exchange.Response! with
            {
                Headers = [new("Content-Type", "text/plain")],
                Body = ExchangeBody.FromText(text, "text/plain"),
            },
        };
        return Policies.ResponseText(Policies.Default.Redact(exchange));
    }
}
