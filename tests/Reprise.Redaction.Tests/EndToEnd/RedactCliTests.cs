using System.Text.Json;
using Reprise.Core.Recording;
using Reprise.Redaction.Tests.Corpus;
using Reprise.Testing;
using Xunit;

namespace Reprise.Redaction.Tests.EndToEnd;

/// <summary>End-to-end through the reprise executable: redact, scan, bad rules files.</summary>
public sealed class RedactCliTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> KeyEnv = new() { ["REPRISE_REDACTION_KEY"] = "e2e-test-key-0123456789abcdef" };

    [Fact]
    public async Task Redact_CanaryRecording_OutputHasNoCanaryAndHeaderNamesPolicy()
    {
        using var dir = new TempDir();
        var (exchanges, canaries) = CanaryCorpus.Build();
        var input = dir.File("in.reprise.jsonl");
        var redacted = dir.File("out.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(input, exchanges);

        var run = await RepriseExe.RunAsync(["redact", input, "-o", redacted], environment: KeyEnv);
        output.WriteLine(run.Stderr);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(LeakCheck.Find(await File.ReadAllBytesAsync(redacted, TestContext.Current.CancellationToken), canaries));
        var header = await new RecordingReader(redacted).ReadHeaderAsync(TestContext.Current.CancellationToken);
        Assert.Equal("default", header.RedactionPolicy);
        Assert.StartsWith("sha256:", header.RedactionDigest, StringComparison.Ordinal);
        Assert.Contains("redacted", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redact_HarInput_WritesRedactedRecording()
    {
        using var dir = new TempDir();
        var har = dir.File("session.har");
        var secret = "ghp_" + new string('a', 18) + new string('B', 18);
        await File.WriteAllTextAsync(har, $$$"""
            {"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[{"startedDateTime":"2026-01-01T00:00:00Z","time":5,
            "request":{"method":"POST","url":"https://api.acme.test/login?email=ann.lee%40gmail.com","httpVersion":"HTTP/1.1","headers":[{"name":"Authorization","value":"token {{{secret}}}"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":-1,
              "postData":{"mimeType":"application/json","text":"{\"password\":\"hunter2hunter2\"}"}},
            "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[{"name":"Content-Type","value":"application/json"}],"cookies":[],"content":{"size":20,"mimeType":"application/json","text":"{\"ssn\":\"123-45-6789\"}"},"redirectURL":"","headersSize":-1,"bodySize":-1},
            "cache":{},"timings":{"send":0,"wait":5,"receive":0}}]}}
            """, TestContext.Current.CancellationToken);
        var redacted = dir.File("out.reprise.jsonl");

        var run = await RepriseExe.RunAsync(["redact", har, "-o", redacted], environment: KeyEnv);

        Assert.Equal(0, run.ExitCode);
        var text = await File.ReadAllTextAsync(redacted, TestContext.Current.CancellationToken);
        foreach (var raw in new[] { secret, "ann.lee", "hunter2hunter2", "123-45-6789" })
        {
            Assert.DoesNotContain(raw, text, StringComparison.Ordinal);
        }

        Assert.Contains("\"rule\":\"password\"", text, StringComparison.Ordinal);
        Assert.Contains("\"rule\":\"national-id\"", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// A HAR cleaned to hand on (to a vendor, a ticket) is asked for as <c>-o x.har</c>: it must come out a HAR, not a
    /// recording under a HAR's name (HAR viewers could not open it), with the policy named in the log's comment, no raw
    /// value, and the redactions kept so a scan of it is clean.
    /// </summary>
    [Fact]
    public async Task Redact_HarToHar_WritesARedactedHarThatScansClean()
    {
        using var dir = new TempDir();
        var har = dir.File("session.har");
        await File.WriteAllTextAsync(har, """
            {"log":{"version":"1.2","creator":{"name":"Firefox","version":"120"},"entries":[{"startedDateTime":"2026-01-01T00:00:00Z","time":5,
            "request":{"method":"POST","url":"https://shop.acme.test/login","httpVersion":"HTTP/2","headers":[{"name":"Cookie","value":"sessionid=8f7a6c5d4e3b2a1f0e9d8c7b6a5f4e3d; theme=dark"}],"queryString":[],"cookies":[{"name":"sessionid","value":"8f7a6c5d4e3b2a1f0e9d8c7b6a5f4e3d"}],"headersSize":-1,"bodySize":-1,
              "postData":{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"email","value":"lena.fischer@gmail.com"},{"name":"password","value":"Hunter2-Sommer!"}]}},
            "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/2","headers":[{"name":"Content-Type","value":"application/json"}],"cookies":[],"content":{"size":60,"mimeType":"application/json","encoding":"base64","text":"eyJmdWxsTmFtZSI6IkxlbmEgRmlzY2hlciIsImliYW4iOiJERTg5MzcwNDAwNDQwNTMyMDEzMDAwIn0="},"redirectURL":"","headersSize":-1,"bodySize":-1},
            "cache":{},"timings":{"send":0,"wait":5,"receive":0}}]}}
            """, TestContext.Current.CancellationToken);
        var redacted = dir.File("session.redacted.har");

        var run = await RepriseExe.RunAsync(["redact", har, "-o", redacted], environment: KeyEnv);
        var scan = await RepriseExe.RunAsync(["scan", redacted], environment: KeyEnv);

        Assert.Equal(0, run.ExitCode);
        var text = await File.ReadAllTextAsync(redacted, TestContext.Current.CancellationToken);
        using var json = JsonDocument.Parse(text);
        var log = json.RootElement.GetProperty("log");
        Assert.Equal("1.2", log.GetProperty("version").GetString());
        Assert.StartsWith("redacted by reprise/", log.GetProperty("comment").GetString(), StringComparison.Ordinal);
        Assert.Contains("policy default, sha256:", log.GetProperty("comment").GetString(), StringComparison.Ordinal);
        var entry = Assert.Single(log.GetProperty("entries").EnumerateArray());
        Assert.Contains("tok_email_", entry.GetProperty("request").GetProperty("postData").GetProperty("text").GetString(), StringComparison.Ordinal);
        foreach (var raw in new[] { "8f7a6c5d4e3b2a1f0e9d8c7b6a5f4e3d", "lena.fischer", "Hunter2-Sommer!", "Fischer", "0532013000", "eyJmdWxsTmFtZSI6IkxlbmEg" })
        {
            Assert.DoesNotContain(raw, text, StringComparison.Ordinal);
        }

        Assert.Equal(0, scan.ExitCode);
    }

    [Fact]
    public async Task Scan_DirtyAndClean_ExitOneWithMaskedFindingsThenZero()
    {
        using var dir = new TempDir();
        var dirty = dir.File("dirty.reprise.jsonl");
        var clean = dir.File("clean.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(dirty, [Exchanges.Get("https://api.acme.test/users/1", """{"email":"maria.gonzalez@gmail.com","card":"4539 1488 0343 6467"}""")]);
        await Exchanges.WriteRecordingAsync(clean, [Exchanges.Get("https://api.acme.test/products/1", """{"sku":"WID-1","price":9.99}""")]);

        var found = await RepriseExe.RunAsync(["scan", dirty, "--json"], environment: KeyEnv);
        var none = await RepriseExe.RunAsync(["scan", clean]);
        output.WriteLine(found.Stdout);

        Assert.Equal(1, found.ExitCode);
        Assert.DoesNotContain("maria.gonzalez", found.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("4539 1488", found.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(found.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("findings").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("byDetector").GetProperty("email").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("byDetector").GetProperty("card-number").GetInt32());
        Assert.Contains(json.RootElement.GetProperty("locations").EnumerateArray(), l => l.GetProperty("location").GetString() == "response.body:$.card" && l.GetProperty("example").GetString() == "**** **** **** 6467");
        Assert.Equal(0, none.ExitCode);
        Assert.Contains("clean", none.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redact_BadRulesFile_OneLinePerErrorWithFileAndLineExitTwo()
    {
        using var dir = new TempDir();
        var input = dir.File("in.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(input, [Exchanges.Get("https://api.acme.test/x")]);
        var rules = dir.File("rules.yaml");
        await File.WriteAllTextAsync(rules, """
            name: broken
            rules:
              - json: $.user.email
                action: tokenize
              - json: "$.items[?(@.x)]"
              - regex: "(["
                action: mask
              - header: X-Secret
                action: hide
            """, TestContext.Current.CancellationToken);

        var run = await RepriseExe.RunAsync(["redact", input, "-o", dir.File("out.reprise.jsonl"), "--rules", rules]);
        output.WriteLine(run.Stderr);

        Assert.Equal(2, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains("rules.yaml:5:", StringComparison.Ordinal) && l.Contains("invalid JSON path", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("rules.yaml:6:", StringComparison.Ordinal) && l.Contains("invalid regex", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("rules.yaml:9:", StringComparison.Ordinal) && l.Contains("unknown action 'hide'", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("out.reprise.jsonl")));
    }

    [Fact]
    public async Task Scan_InvalidYaml_OneLineWithLineNumberExitTwo()
    {
        using var dir = new TempDir();
        var input = dir.File("in.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(input, [Exchanges.Get("https://api.acme.test/x")]);
        var rules = dir.File("bad.yaml");
        await File.WriteAllTextAsync(rules, "rules:\n  - json: $.a\n   action: [mask\n", TestContext.Current.CancellationToken);

        var run = await RepriseExe.RunAsync(["scan", input, "--rules", rules]);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"bad\.yaml:\d+: invalid YAML", run.Stderr);
    }
}
