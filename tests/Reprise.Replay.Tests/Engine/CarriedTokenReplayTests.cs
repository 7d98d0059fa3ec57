using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Redaction.Policy;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// A SignalR-shaped recording (negotiate's <c>connectionToken</c>, then <c>?id=</c> with it) redacted in order: the
/// token is tokenized in negotiate and, carried, in the later URLs (QA round 5, item 3). Replayed against a server
/// that issues a new token per negotiate and requires it as <c>?id=</c>, the token correlates: every request gets 2xx.
/// </summary>
public sealed class CarriedTokenReplayTests
{
    private const string Recorded1 = "Xq7vR2mK9pLw4ZtB8nYc3F";

    [Fact]
    public async Task RedactedNegotiateThenId_ReplayedAgainstANewToken_Gets2xx()
    {
        var issued = new System.Collections.Concurrent.ConcurrentBag<string>();
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/hubs/orders/negotiate", () =>
            {
                var token = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                issued.Add(token);
                return HttpResults.Json(new { negotiateVersion = 1, connectionId = "c1", connectionToken = token, availableTransports = Array.Empty<object>() });
            });
            app.MapGet("/hubs/orders", (string id) => issued.Contains(id) ? HttpResults.Text("") : HttpResults.NotFound());
            app.MapPost("/hubs/orders", (string id) => issued.Contains(id) ? HttpResults.Text("OK") : HttpResults.NotFound());
        });

        // Secrets tokenized (the default masks them: a mask names no value, so it cannot be correlated).
        var result = Reprise.Redaction.Rules.RulesFileParser.Parse("detectors:\n  secret: tokenize\n", "rules.yaml", RedactionKey.FromText("replay-carry-key-0123456789abcdef"));
        var policy = result.Policy!;
        Exchange[] raw =
        [
            Recorded.Request("POST", "/hubs/orders/negotiate?negotiateVersion=1", 0, body: "{}", responseBody: $$"""{"negotiateVersion":1,"connectionId":"c0","connectionToken":"{{Recorded1}}","availableTransports":[]}"""),
            Recorded.Request("GET", $"/hubs/orders?id={Recorded1}", 0.1, responseBody: "{}"),
            Recorded.Request("POST", $"/hubs/orders?id={Recorded1}&_=1700000000000", 0.2, body: """{"type":6}""", responseBody: "{}"),
        ];
        var redacted = raw.Select(policy.Redact).ToList();
        Assert.All(redacted, e => Assert.DoesNotContain(Recorded1, e.Request.Url, StringComparison.Ordinal));
        Assert.Contains(redacted[1].Redactions, r => r.Rule == "carried:secret" && r.Action == "tokenize");

        var sink = new ListSink();
        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(redacted), sink, TestContext.Current.CancellationToken);

        var results = sink.Results.OrderBy(r => r.StartedAt).ToList();
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.InRange(r.Response?.Status ?? 0, 200, 299));
        var sent = target.Arrivals.ToList();
        var token = Assert.Single(issued);
        Assert.Equal($"/hubs/orders?id={token}", sent[1].PathAndQuery);
    }
}
