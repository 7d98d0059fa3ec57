using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>
/// Upgrades that are not WebSocket: a <c>SPDY/3.1</c> switch (kubectl exec/port-forward) is relayed and
/// recorded as a raw tunnel, and an <c>h2c</c> or unknown upgrade offer the server does not take is an
/// ordinary exchange. Neither is called WebSocket or noted as frames.
/// </summary>
public sealed class UpgradeRecordingTests
{
    [Fact]
    public async Task SpdyUpgrade_RelayedAndRecordedAsRawTunnel_NotWebSocket()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await TestKestrel.StartAsync(app => app.Map("/tunnel", async (HttpContext c) =>
        {
            var upgrade = c.Features.Get<IHttpUpgradeFeature>()!;
            c.Response.Headers.Upgrade = "SPDY/3.1";
            await using var stream = await upgrade.UpgradeAsync();
            var buffer = new byte[4];
            await stream.ReadExactlyAsync(buffer, c.RequestAborted);
            await stream.WriteAsync("pong"u8.ToArray(), c.RequestAborted);
            await stream.FlushAsync(c.RequestAborted);
            while (await stream.ReadAsync(buffer, c.RequestAborted) > 0)
            {
            }
        }));
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });

        var (tcp, stream, head) = await RawHttp.SendAsync(recorder.Server.ReverseAddress!.Port, "GET /tunnel HTTP/1.1\r\nHost: k8s.test\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n", ct);
        using (tcp)
        {
            Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
            Assert.Contains("Upgrade: SPDY/3.1", head, StringComparison.OrdinalIgnoreCase);
            await stream.WriteAsync("ping"u8.ToArray(), ct);
            var pong = new byte[4];
            await stream.ReadExactlyAsync(pong, ct);
            Assert.Equal("pong", Encoding.ASCII.GetString(pong));
        }

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var exchange = Assert.Single(exchanges);
        Assert.Equal(101, exchange.Response!.Status);
        Assert.NotEqual(Protocol.WebSocket, exchange.Protocol);
        Assert.Empty(exchange.Messages);
        Assert.Equal("upgraded tunnel to 'SPDY/3.1' (raw bytes, not decoded) client to server", exchange.Request.Body!.Note);
        Assert.Equal("ping", exchange.Request.Body.Text);
        Assert.Equal("upgraded tunnel to 'SPDY/3.1' (raw bytes, not decoded) server to client", exchange.Response.Body!.Note);
        Assert.Equal("pong", exchange.Response.Body.Text);
    }

    [Theory]
    [InlineData("h2c", "Connection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n")]
    [InlineData("foo/1, bar", "Connection: Upgrade\r\n")]
    public async Task UpgradeOfferNotTaken_RecordedAsOrdinaryExchange(string upgrade, string extraHeaders)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await TestKestrel.StartAsync(app => app.MapGet("/plain", (HttpContext c) => Results.Text($"plain, upgrade offer seen: '{c.Request.Headers.Upgrade}'")));
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });

        var (tcp, _, head) = await RawHttp.SendAsync(recorder.Server.ReverseAddress!.Port, $"GET /plain HTTP/1.1\r\nHost: api.test\r\nUpgrade: {upgrade}\r\n{extraHeaders}\r\n", ct);
        using (tcp)
        {
            Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
        }

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var exchange = Assert.Single(exchanges);
        Assert.Equal(200, exchange.Response!.Status);
        Assert.Equal(Protocol.Http1, exchange.Protocol);
        Assert.Empty(exchange.Messages);
        Assert.Null(exchange.Request.Body?.Note);
        Assert.StartsWith("plain", exchange.Response.Body!.Text, StringComparison.Ordinal);
        Assert.Null(exchange.Response.Body.Note);
    }
}
