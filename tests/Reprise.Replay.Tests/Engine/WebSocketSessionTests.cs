using System.Collections.Immutable;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// A recorded WebSocket session is skipped and counted: replay sends HTTP requests, so only its handshake would
/// go out and the target's 101 (or 400) would stand for a session whose messages were never sent.
/// </summary>
public sealed class WebSocketSessionTests
{
    [Fact]
    public async Task WebSocketSessions_RecordedOrFromABrowserHar_AreSkipped_CountedAndNotResults()
    {
        await using var target = await CountingTarget.StartAsync();
        var before = Recorded.Request("GET", "/feed", 0);
        var recorded = Recorded.Request("GET", "/live", 0.01);
        recorded = recorded with
        {
            Request = recorded.Request with { Headers = recorded.Request.Headers.AddRange(new HeaderField("Connection", "Upgrade"), new HeaderField("Upgrade", "websocket"), new HeaderField("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")) },
            Response = new ExchangeResponse { Status = 101, Headers = [new("Upgrade", "websocket"), new("Connection", "Upgrade")] },
            Messages = [new WebSocketMessage { From = WebSocketPeer.Client, Kind = WebSocketMessageKind.Text, Payload = ExchangeBody.FromText("hi", "text/plain") }],
        };
        // A browser HAR names the session by its ws:// URL (a failed one has no response at all).
        var fromHar = Recorded.Request("GET", "/socket", 0.02);
        fromHar = fromHar with { Request = fromHar.Request with { Url = "ws://shop.test/socket" }, Response = null };
        var after = Recorded.Request("GET", "/feed", 0.03);
        var sink = new ListSink();

        var summary = await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([before, recorded, fromHar, after]), sink, TestContext.Current.CancellationToken);

        Assert.Equal(2, target.Count);
        Assert.All(target.Arrivals, a => Assert.Equal("/feed", a.PathAndQuery));
        Assert.Equal(2, summary.Sent);
        Assert.Equal(2, summary.SkippedWebSocket);
        Assert.Equal(new[] { before.Id, after.Id }.Order().ToImmutableArray(), sink.Results.Select(r => r.Tags[WellKnownTags.ReplayOf]).Order().ToImmutableArray());
    }
}
