using System.Net.Sockets;
using System.Text;
using Reprise.Core.Model;
using Reprise.Mock.Serving;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>
/// A recorded 101 to a protocol other than WebSocket is a raw tunnel: the mock switches to that same
/// protocol and sends the recorded bytes, never WebSocket frames or a WebSocket handshake; a request
/// that cannot switch to it gets a 502 saying why.
/// </summary>
public sealed class UpgradeTunnelTests
{
    [Theory]
    [InlineData("upgraded tunnel to 'SPDY/3.1' (raw bytes, not decoded)")] // this capture
    [InlineData("websocket frames (RFC 6455)")] // older captures noted every upgraded body this way
    public void RecordedSpdySwitch_IsTunnelNotWebSocket(string notePrefix)
    {
        var recorded = new RecordedResponse(Spdy(notePrefix));
        Assert.False(recorded.IsWebSocket);
        Assert.Equal("SPDY/3.1", recorded.UpgradeProtocol);
    }

    [Fact]
    public void RecordedWebSocketSwitch_StaysWebSocket_WithOrWithoutUpgradeHeaders()
    {
        var spdy = Spdy("websocket frames (RFC 6455)");
        var webSocket = spdy with
        {
            Request = spdy.Request with { Headers = [new("Connection", "Upgrade"), new("Upgrade", "WebSocket")] },
            Response = spdy.Response! with { Headers = [new("Connection", "Upgrade"), new("Upgrade", "websocket")] },
        };
        Assert.True(new RecordedResponse(webSocket).IsWebSocket);
        Assert.Null(new RecordedResponse(webSocket).UpgradeProtocol);
        var bare = spdy with { Request = spdy.Request with { Headers = [] }, Response = spdy.Response! with { Headers = [] } };
        Assert.True(new RecordedResponse(bare).IsWebSocket); // only the note is left to tell
    }

    [Theory]
    [InlineData("SPDY/3.1", "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\n")]
    [InlineData("h2c", "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n")]
    public async Task Tunnel_ClientAsksForRecordedProtocol_SwitchedAndRecordedBytesSent_NoWebSocket(string protocol, string headers)
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var (mock, _) = await MockFixtures.StartAsync(dir, [Switched(protocol)]);
        await using (mock)
        {
            var (tcp, stream, head) = await RawHttp.SendAsync(mock.Address.Port, $"GET /exec HTTP/1.1\r\nHost: k8s.test\r\n{headers}\r\n", ct);
            using var client = tcp;
            Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
            Assert.Contains($"Upgrade: {protocol}\r\n", head, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Sec-WebSocket", head, StringComparison.OrdinalIgnoreCase);
            var body = new byte[4];
            await stream.ReadExactlyAsync(body, ct);
            Assert.Equal("pong", Encoding.ASCII.GetString(body)); // the recorded bytes, not a WebSocket frame around them
            await stream.WriteAsync("ping"u8.ToArray(), ct);
            tcp.Client.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, await stream.ReadAsync(body, ct)); // the mock ends the tunnel when the client does
            Assert.Equal(0, mock.Journal.MissCount);
        }
    }

    [Theory]
    [InlineData("h2c", "")] // a plain request matching the recorded one: a 101 it never asked for would break it
    [InlineData("h2c", "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")]
    [InlineData("SPDY/3.1", "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n")]
    public async Task Tunnel_RequestForAnotherProtocol_502NamingTheRecordedOne(string protocol, string headers)
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var (mock, _) = await MockFixtures.StartAsync(dir, [Switched(protocol)]);
        await using (mock)
        {
            var (tcp, stream, head) = await RawHttp.SendAsync(mock.Address.Port, $"GET /exec HTTP/1.1\r\nHost: k8s.test\r\n{headers}\r\n", ct);
            using var client = tcp;
            Assert.StartsWith("HTTP/1.1 502", head, StringComparison.Ordinal);
            Assert.DoesNotContain("Upgrade:", head, StringComparison.OrdinalIgnoreCase);
            var length = int.Parse(head.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var body = new byte[length];
            await stream.ReadExactlyAsync(body, ct);
            var error = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("error").GetString();
            Assert.Contains($"switched protocols to '{protocol}'", error, StringComparison.Ordinal);
            Assert.Equal(1, mock.Journal.Recent().Count(s => s.Status == 502));
        }
    }

    /// <summary>A recorded kubectl-style exec: GET upgraded to SPDY/3.1, raw bytes both ways.</summary>
    private static Exchange Spdy(string notePrefix) => new()
    {
        Id = "spdy1",
        Direction = Direction.Outbound,
        StartedAt = DateTimeOffset.UnixEpoch,
        Request = new ExchangeRequest
        {
            Method = "GET",
            Url = "http://k8s.test/exec",
            Headers = [new("Connection", "Upgrade"), new("Upgrade", "SPDY/3.1")],
            Body = new ExchangeBody { Content = "ping"u8.ToArray(), Size = 4, Note = notePrefix + " client to server" },
        },
        Response = new ExchangeResponse
        {
            Status = 101,
            Headers = [new("Connection", "Upgrade"), new("Upgrade", "SPDY/3.1"), new("X-Stream-Protocol-Version", "v4.channel.k8s.io")],
            Body = new ExchangeBody { Content = "pong"u8.ToArray(), Size = 4, Note = notePrefix + " server to client" },
        },
    };

    private static Exchange Switched(string protocol)
    {
        var spdy = Spdy($"upgraded tunnel to '{protocol}' (raw bytes, not decoded)");
        return spdy with
        {
            Request = spdy.Request with { Headers = [new("Connection", "Upgrade"), new("Upgrade", protocol)] },
            Response = spdy.Response! with { Headers = [new("Connection", "Upgrade"), new("Upgrade", protocol)] },
        };
    }
}
