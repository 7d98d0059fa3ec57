using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Reprise.Testing;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.EndToEnd;

/// <summary>
/// A SignalR-shaped recording (negotiate's <c>connectionToken</c>, then <c>?id=</c> with it), redacted by
/// <c>reprise redact</c> with secrets tokenized: the token is tokenized in negotiate and, carried, in the later URLs
/// (QA round 5, item 3). Replayed by <c>reprise replay</c> against a server that issues a new token per negotiate
/// and requires it as <c>?id=</c>, the token correlates: every request gets 2xx.
/// </summary>
public sealed class CarriedTokenReplayTests(ITestOutputHelper output)
{
    private const string RecordedToken = "Xq7vR2mK9pLw4ZtB8nYc3F";

    // One user's session (Authorization: Bearer …): replay correlates values within a session.
    private const string Session = "u1-2f9c7e5a1b3d4c6e8f0a";
    private static readonly Dictionary<string, string> KeyEnv = new() { ["REPRISE_REDACTION_KEY"] = "replay-carry-key-0123456789abcdef" };

    [Fact]
    public async Task RedactedNegotiateThenId_ReplayedAgainstANewToken_Gets2xx()
    {
        using var dir = new TempDir();
        var issued = new ConcurrentBag<string>();
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/hubs/orders/negotiate", () =>
            {
                var token = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                issued.Add(token);
                return HttpResults.Json(new { negotiateVersion = 1, connectionId = "c1", connectionToken = token, availableTransports = Array.Empty<object>() });
            });
            app.MapGet("/hubs/orders", (string id) => issued.Contains(id) ? HttpResults.Json(new { ok = true }) : HttpResults.NotFound());
            app.MapPost("/hubs/orders", (string id) => issued.Contains(id) ? HttpResults.Json(new { ok = true }) : HttpResults.NotFound());
        });
        Exchange[] raw =
        [
            Recorded.Request("POST", "/hubs/orders/negotiate?negotiateVersion=1", 0, session: Session, body: "{}", responseBody: $$"""{"negotiateVersion":1,"connectionId":"c0","connectionToken":"{{RecordedToken}}","availableTransports":[]}"""),
            Recorded.Request("GET", $"/hubs/orders?id={RecordedToken}", 0.05, session: Session, responseBody: """{"ok":true}"""),
            Recorded.Request("POST", $"/hubs/orders?id={RecordedToken}&_=1700000000000", 0.1, session: Session, body: """{"type":6}""", responseBody: """{"ok":true}"""),
        ];
        await Exchanges.WriteRecordingAsync(dir.File("raw.reprise.jsonl"), raw);
        // Secrets tokenized (the default masks them: a mask names no value, so replay cannot pair it with a new token).
        await File.WriteAllTextAsync(dir.File("rules.yaml"), "detectors:\n  secret: tokenize\n", TestContext.Current.CancellationToken);

        var redact = await RepriseExe.RunAsync(["redact", dir.File("raw.reprise.jsonl"), "-o", dir.File("rec.reprise.jsonl"), "--rules", dir.File("rules.yaml")], environment: KeyEnv);
        Assert.True(redact.ExitCode == 0, redact.Stderr);
        var text = await File.ReadAllTextAsync(dir.File("rec.reprise.jsonl"), TestContext.Current.CancellationToken);
        Assert.DoesNotContain(RecordedToken, text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"rule\":\"carried:secret\"", text, StringComparison.Ordinal);

        var replay = await RepriseExe.RunAsync(["replay", dir.File("rec.reprise.jsonl"), "--target", target.Address.ToString(), "--speed", "10", "--redact-rules", dir.File("rules.yaml"), "--summary-json", dir.File("summary.json")], environment: KeyEnv);
        output.WriteLine(replay.Stdout + replay.Stderr);

        Assert.True(replay.ExitCode == 0, replay.Stderr);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(dir.File("summary.json"), TestContext.Current.CancellationToken));
        Assert.Equal(3, summary.RootElement.GetProperty("sent").GetInt32());
        Assert.Equal(3, summary.RootElement.GetProperty("statusClasses").GetProperty("2xx").GetInt32());
        var token = Assert.Single(issued);
        var sent = target.Arrivals.ToList();
        Assert.Equal($"/hubs/orders?id={token}", sent[1].PathAndQuery);
        Assert.StartsWith($"/hubs/orders?id={token}&", sent[2].PathAndQuery, StringComparison.Ordinal);
    }
}
