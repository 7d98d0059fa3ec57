using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 13c (Glances' <c>/api/3/processlist</c>, psutil's fields): every process names its owner in
/// <c>username</c> and its command line as an array. <c>root</c> was tokenized as an account id 383 times in one session
/// and <c>postgres</c> then replaced inside every path and the <c>postgres://</c> scheme of a connection URL; the value
/// after <c>--api-token</c> went to disk raw.
/// </summary>
public sealed class ProcessListTests
{
    private static string Redacted(string json) =>
        Policies.ResponseText(Policies.Default.Redact(Testing.Exchanges.Get("http://127.0.0.1:61208/api/3/processlist", json)));

    [Fact]
    public void SystemAccounts_AreNoPersonsAccountIds()
    {
        const string json = """
            [{"pid": 1, "username": "root", "cmdline": ["/sbin/init"]},
             {"pid": 812, "username": "postgres", "cmdline": ["postgres: 15/main: checkpointer", "/var/lib/postgresql/15/main"]},
             {"pid": 901, "username": "www-data", "cmdline": ["nginx: worker process"]},
             {"pid": 77, "username": "systemd-resolve", "cmdline": ["/lib/systemd/systemd-resolved"]},
             {"pid": 78, "username": "_apt", "cmdline": ["/usr/lib/apt/methods/http"]}]
            """;
        Assert.Equal(json, Redacted(json));
    }

    [Fact]
    public void APersonsLogin_IsStillTokenized()
    {
        var body = Redacted("""[{"pid": 4242, "username": "mgonzalez", "cmdline": ["vim", "/home/mgonzalez/notes.txt"]}]""");
        Assert.DoesNotContain("mgonzalez", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--api-token", "Zq8vN2kLp4Rt7Wx1Yb6Mc3Hd9Fs5Gj0A")]
    [InlineData("--password", "Sunflower-42-Lake")]
    [InlineData("-secret", "pR7#kV2!mQ9zL4xW")]
    public void AFlagsValue_InAnArgvArray_IsJudgedAsThatField(string flag, string value)
    {
        var body = Redacted($$"""[{"pid": 9, "username": "mgonzalez", "cmdline": ["python3", "worker.py", "{{flag}}", "{{value}}", "--verbose", "3"]}]""");
        Assert.DoesNotContain(value, body, StringComparison.Ordinal);
        Assert.Contains($"\"{flag}\"", body, StringComparison.Ordinal);
        Assert.Contains("\"--verbose\", \"3\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherFlagsValues_StayAsTheyAre()
    {
        const string json = """[{"pid": 9, "username": "root", "cmdline": ["flock", "--uid", "0", "--gid", "0", "--name", "worker"]}]""";
        Assert.Equal(json, Redacted(json));
    }
}
