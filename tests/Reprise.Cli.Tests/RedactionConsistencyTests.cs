using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Testing;
using Xunit;

namespace Reprise.Cli.Tests;

/// <summary>
/// Redaction is one policy from record to report: a real Kestrel app answering personal data is recorded
/// (redacted), replayed, diffed and mocked through the reprise executable, and no raw value reaches any
/// file or report, while unchanged values still compare equal (token to token) and requests still match.
/// </summary>
public sealed class RedactionConsistencyTests
{
    private const string Email = "jane.roe@gmail.com";
    private const string NewEmail = "jane.new@outlook.com";
    private const string Phone = "+1 415-555-0132";
    private const string Ssn = "123-45-6789";
    private const string Card = "4111 1111 1111 1111";
    private const string Password = "S3cr3tPassw0rd!";

    private static readonly string[] RawValues = [Email, NewEmail, Phone, "415-555-0132", Ssn, Card, "4111111111111111", Password];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReplayDiff_RedactedRecording_UnchangedPassesAndChangedEmailFailsWithoutRawValues()
    {
        using var dir = new TempDir();
        var email = Email;
        await using var app = await TestKestrel.StartAsync(a =>
        {
            a.MapGet("/customers/{id}", (int id) => Results.Json(new { customer = new { id, name = "Jane Roe", email, phone = Phone, ssn = Ssn } }));
            // Replay sends the recorded (redacted) password: the answer must not depend on it.
            a.MapPost("/login", () => Results.Json(new { ok = true, user = new { email } }));
        });
        var env = Environment(dir);
        var recording = dir.File("rec.reprise.jsonl");
        await RecordAsync(app.Address, recording, env, async (client, proxy) =>
        {
            // One customer: ids are tokenized as same-length numbers, and replay correlation would learn
            // "token -> real id" from one response and rewrite the next request (a separate issue).
            await client.GetStringAsync(new Uri(proxy, "/customers/7"), Ct);

            using var login = new StringContent($"{{\"username\":\"jane\",\"password\":\"{Password}\",\"card\":\"{Card}\"}}", Encoding.UTF8, "application/json");
            (await client.PostAsync(new Uri(proxy, "/login"), login, Ct)).EnsureSuccessStatusCode();
        });
        AssertNoRawValues(recording);

        // Unchanged build: results are redacted like the recording, so token meets token and the diff passes.
        var results = dir.File("results.reprise.jsonl");
        var replay = await RepriseExe.RunAsync(["replay", recording, "-t", app.Address.ToString(), "--speed", "100", "-o", results], environment: env);
        Assert.True(replay.ExitCode == 0, replay.Stderr);
        AssertNoRawValues(results);
        var same = await RepriseExe.RunAsync(["diff", recording, results, "--report", dir.File("same.html"), "--junit", dir.File("same.xml"), "--markdown", dir.File("same.md")], environment: env);
        Assert.True(same.ExitCode == 0, same.Stdout + same.Stderr);
        AssertNoRawValues(dir.File("same.html"), dir.File("same.xml"), dir.File("same.md"));
        AssertNoRawText(same.Stdout + same.Stderr);

        // Results replayed with --no-redact: diff applies the recording's policy to them and still passes.
        var raw = dir.File("raw.reprise.jsonl");
        var rawReplay = await RepriseExe.RunAsync(["replay", recording, "-t", app.Address.ToString(), "--speed", "100", "-o", raw, "--no-redact"], environment: env);
        Assert.True(rawReplay.ExitCode == 0, rawReplay.Stderr);
        Assert.Contains("--no-redact", rawReplay.Stderr, StringComparison.Ordinal);
        Assert.Contains(Email, File.ReadAllText(raw), StringComparison.Ordinal);
        var rawDiff = await RepriseExe.RunAsync(["diff", recording, raw, "--markdown", dir.File("raw.md")], environment: env);
        Assert.True(rawDiff.ExitCode == 0, rawDiff.Stdout + rawDiff.Stderr);
        Assert.Contains("results are not redacted", rawDiff.Stderr, StringComparison.Ordinal);
        AssertNoRawValues(dir.File("raw.md"));

        // The build changes one email: a different token, so a diff naming the field, and neither value shown.
        email = NewEmail;
        var changed = dir.File("changed.reprise.jsonl");
        replay = await RepriseExe.RunAsync(["replay", recording, "-t", app.Address.ToString(), "--speed", "100", "-o", changed], environment: env);
        Assert.True(replay.ExitCode == 0, replay.Stderr);
        AssertNoRawValues(changed);
        var diff = await RepriseExe.RunAsync(["diff", recording, changed, "--report", dir.File("changed.html"), "--junit", dir.File("changed.xml"), "--markdown", dir.File("changed.md")], environment: env);
        Assert.True(diff.ExitCode == 1, diff.Stdout + diff.Stderr);
        Assert.Contains("$.customer.email", diff.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("$.customer.phone", diff.Stdout, StringComparison.Ordinal);
        AssertNoRawValues(dir.File("changed.html"), dir.File("changed.xml"), dir.File("changed.md"));
        AssertNoRawText(diff.Stdout + diff.Stderr);

        // reprise test does both in one step, with the same result.
        var test = await RepriseExe.RunAsync(["test", recording, "-t", app.Address.ToString(), "--speed", "100", "--markdown", dir.File("test.md"), "-o", dir.File("test.reprise.jsonl")], environment: env);
        Assert.True(test.ExitCode == 1, test.Stdout + test.Stderr);
        Assert.Contains("$.user.email", test.Stdout + File.ReadAllText(dir.File("test.md")), StringComparison.Ordinal);
        AssertNoRawValues(dir.File("test.md"), dir.File("test.reprise.jsonl"));
        AssertNoRawText(test.Stdout + test.Stderr);
        email = Email;
        test = await RepriseExe.RunAsync(["test", recording, "-t", app.Address.ToString(), "--speed", "100"], environment: env);
        Assert.True(test.ExitCode == 0, test.Stdout + test.Stderr);
    }

    [Fact]
    public async Task Mock_RedactedRecording_MatchesLiveRequestAndReportsNoRawValues()
    {
        using var dir = new TempDir();
        await using var app = await TestKestrel.StartAsync(a =>
            a.MapPost("/payments", () => Results.Json(new { id = 42, status = "accepted" }, statusCode: 201)));
        var env = Environment(dir);
        var recording = dir.File("svc.reprise.jsonl");
        var query = "/payments?email=" + Uri.EscapeDataString(Email) + "&ssn=" + Ssn;
        var body = $"{{\"card\":\"{Card}\",\"ssn\":\"{Ssn}\",\"password\":\"{Password}\",\"amount\":12.5}}";
        await RecordAsync(app.Address, recording, env, async (client, proxy) =>
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(new Uri(proxy, query), content, Ct)).StatusCode);
        });
        AssertNoRawValues(recording);

        var missReport = dir.File("misses.json");
        using var mock = RepriseExe.Start(["mock", recording, "--direction", "inbound", "--listen", "127.0.0.1:0", "--miss-report", missReport, "--key", "exact"], environment: env);
        var stderr = mock.StandardError.ReadToEndAsync(Ct);
        try
        {
            var address = await ListeningAsync(mock);
            using var client = new HttpClient();
            using (var same = new StringContent(body, Encoding.UTF8, "application/json"))
            {
                var hit = await client.PostAsync(new Uri(address, query), same, Ct);
                Assert.Equal(HttpStatusCode.Created, hit.StatusCode);
                Assert.Contains("\"accepted\"", await hit.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            }

            using (var other = new StringContent(body.Replace("12.5", "99", StringComparison.Ordinal), Encoding.UTF8, "application/json"))
            {
                var miss = await client.PostAsync(new Uri(address, query), other, Ct);
                Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
                AssertNoRawText(await miss.Content.ReadAsStringAsync(Ct));
            }

            var journal = await client.GetStringAsync(new Uri(address, "/_reprise/mock/requests"), Ct);
            Assert.Contains("\"exact\"", journal, StringComparison.Ordinal);
            AssertNoRawText(journal);
            Signal(mock, "TERM");
            await mock.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        finally
        {
            if (!mock.HasExited)
            {
                mock.Kill(entireProcessTree: true);
            }
        }

        var err = await stderr;
        Assert.Equal(0, mock.ExitCode);
        AssertNoRawText(err);
        var report = File.ReadAllText(missReport);
        Assert.Contains("\"misses\": 1", report, StringComparison.Ordinal);
        Assert.Contains("amount", report, StringComparison.Ordinal);
        AssertNoRawValues(missReport);

        // --no-redact: the live request is matched as received, so it no longer meets the recorded tokens.
        using var rawMock = RepriseExe.Start(["mock", recording, "--direction", "inbound", "--listen", "127.0.0.1:0", "--key", "exact", "--no-redact"], environment: env);
        try
        {
            var address = await ListeningAsync(rawMock);
            using var client = new HttpClient();
            using var same = new StringContent(body, Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync(new Uri(address, query), same, Ct)).StatusCode);
        }
        finally
        {
            rawMock.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Mock_ReloadedFromUnredactedToRedactedRecording_RedactsLiveRequests()
    {
        // The mock starts on an unredacted recording, then the file is replaced by a redacted one: live requests
        // must go through the policy from then on (match the tokens, journal no raw value).
        using var dir = new TempDir();
        await using var app = await TestKestrel.StartAsync(a =>
            a.MapPost("/payments", () => Results.Json(new { id = 42, status = "accepted" }, statusCode: 201)));
        var env = Environment(dir);
        var query = "/payments?email=" + Uri.EscapeDataString(Email);
        var body = $"{{\"ssn\":\"{Ssn}\",\"amount\":12.5}}";
        async Task Traffic(HttpClient client, Uri proxy)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(new Uri(proxy, query), content, Ct)).StatusCode);
        }

        var served = dir.File("served.reprise.jsonl");
        var redacted = dir.File("redacted.reprise.jsonl");
        await RecordAsync(app.Address, served, env, Traffic, "--no-redact");
        await RecordAsync(app.Address, redacted, env, async (client, proxy) =>
        {
            await Traffic(client, proxy);
            (await client.GetAsync(new Uri(proxy, "/payments/other"), Ct)).Dispose(); // a second exchange tells the reload apart
        });
        AssertNoRawValues(redacted);

        using var mock = RepriseExe.Start(["mock", served, "--direction", "inbound", "--listen", "127.0.0.1:0", "--key", "exact"], environment: env);
        try
        {
            var address = await ListeningAsync(mock);
            using var client = new HttpClient();
            using (var first = new StringContent(body, Encoding.UTF8, "application/json"))
            {
                Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(new Uri(address, query), first, Ct)).StatusCode);
            }

            var swap = dir.File("swap.tmp");
            File.Copy(redacted, swap);
            File.Move(swap, served, overwrite: true);
            var reloaded = false;
            for (var attempt = 0; attempt < 150 && !reloaded; attempt++)
            {
                await Task.Delay(200, Ct);
                reloaded = (await client.GetStringAsync(new Uri(address, "/_reprise/health"), Ct)).Contains("\"exchanges\":2", StringComparison.Ordinal);
            }

            Assert.True(reloaded, "the mock did not reload the redacted recording");
            using var after = new StringContent(body, Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync(new Uri(address, query), after, Ct)).StatusCode);
            var journal = await client.GetStringAsync(new Uri(address, "/_reprise/mock/requests"), Ct);
            var lastEntry = journal[journal.LastIndexOf("/payments", StringComparison.Ordinal)..];
            AssertNoRawText(lastEntry);
        }
        finally
        {
            mock.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// Default redaction tokenizes a created user's <c>id</c> in the response (a user-like parent) while the next
    /// requests carry it raw in their variables. Replay recognises the raw id as the token it learned a new id for
    /// (with the recording's key), so the read and the delete address the record the replay created, and the
    /// unchanged app passes <c>reprise test</c> (QA3: the delete hit the target's own record 114). The ids have seven digits:
    /// a shorter one is a row number, kept raw everywhere (RowNumberIdTests), which replay correlates as any raw id.
    /// </summary>
    [Fact]
    public async Task GraphQlCreateReadDelete_RedactedRecording_ReplaysOntoTheNewIdAndPasses()
    {
        using var dir = new TempDir();
        var env = Environment(dir);
        var recording = dir.File("gql.reprise.jsonl");
        await using (var first = await GraphQlApp.StartAsync(nextId: 1140001))
        {
            await RecordAsync(first.Address, recording, env, async (client, proxy) =>
            {
                async Task<string> Send(string body)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(proxy, "/graphql")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    request.Headers.TryAddWithoutValidation("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
                    using var response = await client.SendAsync(request, Ct);
                    return await response.Content.ReadAsStringAsync(Ct);
                }

                Assert.Contains("\"1140001\"", await Send("""{"query":"mutation Create($name: String!) { createUser(name: $name) { id name } }","variables":{"name":"Jane Roe"},"operationName":"Create"}"""), StringComparison.Ordinal);
                await Send("""{"query":"query Get($id: ID!) { user(id: $id) { id name } }","variables":{"id":"1140001"},"operationName":"Get"}""");
                await Send("""{"query":"mutation Del($id: ID!) { deleteUser(id: $id) { id } }","variables":{"id":"1140001"},"operationName":"Del"}""");
            });
        }

        Assert.Contains("tok_id_", File.ReadAllText(recording), StringComparison.Ordinal); // the created id is tokenized in the response

        // A fresh app that already holds user 1140001 and issues 1210001 next: the replay must read and delete 1210001, never 1140001.
        await using var app = await GraphQlApp.StartAsync(nextId: 1210001, existing: 1140001);
        var test = await RepriseExe.RunAsync(["test", recording, "-t", app.Address.ToString(), "--speed", "100", "--markdown", dir.File("test.md")], environment: env);

        Assert.Equal(["1210001", "1210001"], app.Touched);
        Assert.True(test.ExitCode == 0, test.Stdout + test.Stderr + File.ReadAllText(dir.File("test.md")));

        // A load run that keeps no results correlates the same way.
        await using var again = await GraphQlApp.StartAsync(nextId: 1300001, existing: 1140001);
        var replay = await RepriseExe.RunAsync(["replay", recording, "-t", again.Address.ToString(), "--speed", "100", "-q"], environment: env);
        Assert.True(replay.ExitCode == 0, replay.Stderr);
        Assert.Equal(["1300001", "1300001"], again.Touched);
    }

    /// <summary>A tiny GraphQL-over-HTTP app (createUser, user, deleteUser) that issues sequential string ids.</summary>
    private sealed class GraphQlApp : IAsyncDisposable
    {
        private readonly TestKestrel _server;

        private GraphQlApp(TestKestrel server) => _server = server;

        public Uri Address => _server.Address;

        /// <summary>The ids that user and deleteUser were asked for, in order.</summary>
        public List<string> Touched { get; } = [];

        public static async Task<GraphQlApp> StartAsync(int nextId, int? existing = null)
        {
            var users = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
            if (existing is { } id)
            {
                users[id.ToString(CultureInfo.InvariantCulture)] = "Someone Else";
            }

            GraphQlApp? self = null;
            var server = await TestKestrel.StartAsync(a => a.MapPost("/graphql", async (HttpContext context) =>
            {
                using var json = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                var query = json.RootElement.GetProperty("query").GetString()!;
                var variables = json.RootElement.GetProperty("variables");
                if (query.Contains("createUser", StringComparison.Ordinal))
                {
                    var newId = Interlocked.Increment(ref nextId) - 1;
                    var key = newId.ToString(CultureInfo.InvariantCulture);
                    users[key] = variables.GetProperty("name").GetString()!;
                    return Results.Json(new { data = new { createUser = new { id = key, name = users[key] } } });
                }

                var asked = variables.GetProperty("id").GetString()!;
                lock (self!.Touched)
                {
                    self.Touched.Add(asked);
                }

                return query.Contains("deleteUser", StringComparison.Ordinal)
                    ? Results.Json(new { data = new { deleteUser = users.TryRemove(asked, out _) ? new { id = asked } : null } })
                    : Results.Json(new { data = new { user = users.TryGetValue(asked, out var name) ? new { id = asked, name } : null } });
            }));
            self = new GraphQlApp(server);
            return self;
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }

    // QA round 12c (Directus' 7 MB admin bundle recorded with --max-body 16MB): replay cut every result body at 1 MiB,
    // so diff reported "body:truncated" for each large asset the recording held whole.
    [Fact]
    public async Task Replay_KeepsBodiesUpToTheRecordingsMaxBody()
    {
        using var dir = new TempDir();
        var big = new string('a', 1_500_000);
        await using var app = await TestKestrel.StartAsync(a => a.MapGet("/bundle.js", () => Results.Text(big, "application/javascript")));
        var env = Environment(dir);
        var recording = dir.File("rec.reprise.jsonl");
        await RecordAsync(app.Address, recording, env, async (client, proxy) => await client.GetStringAsync(new Uri(proxy, "/bundle.js"), Ct), "--max-body", "4MB");

        var results = dir.File("results.reprise.jsonl");
        var replay = await RepriseExe.RunAsync(["replay", recording, "-t", app.Address.ToString(), "-o", results], environment: env);
        Assert.True(replay.ExitCode == 0, replay.Stderr);

        var line = File.ReadLines(results).Single(l => l.Contains("/bundle.js", StringComparison.Ordinal));
        Assert.DoesNotContain("\"truncated\":true", line, StringComparison.Ordinal);
        Assert.Contains(big, line, StringComparison.Ordinal);
    }

    internal static Dictionary<string, string> Environment(TempDir dir) => new()
    {
        ["REPRISE_HOME"] = dir.File("home"),
        ["REPRISE_REDACTION_KEY"] = "redaction-consistency-test-key-0001",
    };

    internal static async Task RecordAsync(Uri upstream, string output, Dictionary<string, string> env, Func<HttpClient, Uri, Task> traffic, params string[] extra)
    {
        using var process = RepriseExe.Start(["record", "--upstream", upstream.ToString(), "--listen", "127.0.0.1:0", "-o", output, .. extra], environment: env);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        try
        {
            var proxy = await ListeningAsync(process);
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            await traffic(client, proxy);
            Signal(process, "TERM");
            await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.True(process.ExitCode == 0, await stderr);
    }

    internal static async Task<Uri> ListeningAsync(Process process)
    {
        var line = await process.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.NotNull(line);
        Assert.StartsWith("listening on http://127.0.0.1:", line, StringComparison.Ordinal);
        return new Uri(line["listening on ".Length..]);
    }

    private static void AssertNoRawValues(params string[] files)
    {
        foreach (var file in files)
        {
            Assert.True(File.Exists(file), file);
            var bytes = File.ReadAllBytes(file);
            foreach (var value in RawValues)
            {
                Assert.True(
                    bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(value)) < 0 && bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Uri.EscapeDataString(value))) < 0,
                    $"{Path.GetFileName(file)} contains '{value}'");
            }
        }
    }

    private static void AssertNoRawText(string text)
    {
        foreach (var value in RawValues)
        {
            Assert.False(text.Contains(value, StringComparison.Ordinal) || text.Contains(Uri.EscapeDataString(value), StringComparison.Ordinal), $"output contains '{value}': {text}");
        }
    }

    internal static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
