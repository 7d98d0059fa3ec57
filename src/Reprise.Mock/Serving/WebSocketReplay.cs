using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;
using Reprise.Core.Model;
using Reprise.Core.Protocols;

namespace Reprise.Mock.Serving;

/// <summary>
/// Replays a recorded WebSocket session. The mock completes the handshake for the live key; a session recorded
/// with its messages (what <c>record</c> stores, and HAR <c>_webSocketMessages</c>) is then played in turns as the
/// server (<see cref="WebSocketConversation"/>: each server message after the client messages the recording had
/// before it, so a reply never comes before its question; closed as recorded). An older capture stored only raw
/// RFC 6455 frames (client-to-server as the request body, server-to-client as the response body, note
/// <c>websocket frames ...</c>): the recorded server frames are sent at once (whole frames only: a capped recording
/// may end mid-frame), then the client is read until it closes or goes idle.
/// </summary>
internal static class WebSocketReplay
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>How long a live client may send nothing before the next recorded server message goes out anyway.</summary>
    internal static readonly TimeSpan QuietClient = TimeSpan.FromSeconds(1);

    /// <summary>
    /// True for a recorded, completed WebSocket upgrade: a 101 whose recorded <c>Upgrade</c> headers name
    /// websocket. Older captures noted every upgraded body as "websocket frames", so the note (or decoded
    /// messages) decides only when neither side's <c>Upgrade</c> header was kept.
    /// </summary>
    public static bool IsRecordedSession(Exchange exchange)
    {
        if (exchange.Response is not { Status: StatusCodes.Status101SwitchingProtocols } response)
        {
            return false;
        }

        var asked = exchange.Request.Headers.Get("upgrade");
        var switchedTo = response.Headers.Get("upgrade");
        if (asked is null && switchedTo is null)
        {
            return !exchange.Messages.IsDefaultOrEmpty || (response.Body?.Note?.StartsWith("websocket frames", StringComparison.OrdinalIgnoreCase) ?? false);
        }

        return (asked is null || ProtocolClassifier.UpgradeNames(asked, "websocket")) && (switchedTo is null || ProtocolClassifier.UpgradeNames(switchedTo, "websocket"));
    }

    /// <summary>The Sec-WebSocket-Accept value for a client key (RFC 6455 section 4.2.2).</summary>
#pragma warning disable CA5350 // RFC 6455 mandates SHA-1 for the handshake; it is not used for security here.
    public static string Accept(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + Guid)));
#pragma warning restore CA5350

    /// <summary>Length of the longest prefix of <paramref name="frames"/> made of whole frames (RFC 6455 section 5.2).</summary>
    public static int CompleteFramesLength(ReadOnlySpan<byte> frames)
    {
        var offset = 0;
        while (true)
        {
            var rest = frames[offset..];
            if (rest.Length < 2)
            {
                return offset;
            }

            long length = rest[1] & 0x7F;
            var header = 2;
            if (length == 126)
            {
                if (rest.Length < 4)
                {
                    return offset;
                }

                length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
                header = 4;
            }
            else if (length == 127)
            {
                if (rest.Length < 10)
                {
                    return offset;
                }

                length = (long)BinaryPrimitives.ReadUInt64BigEndian(rest[2..]);
                header = 10;
            }

            if ((rest[1] & 0x80) != 0)
            {
                header += 4;
            }

            if (length < 0 || length > int.MaxValue - header || rest.Length < header + length)
            {
                return offset;
            }

            offset += header + (int)length;
        }
    }

    /// <summary>True when the comma-separated offer (tokens, parameters after ';' ignored) names <paramref name="token"/>.</summary>
    internal static bool Offered(string offer, string token, StringComparison comparison)
    {
        token = token.Trim();
        foreach (var part in offer.Split(','))
        {
            if (part.Split(';')[0].Trim().Equals(token, comparison))
            {
                return true;
            }
        }

        return false;
    }

    public static async Task ServeAsync(HttpContext context, RecordedResponse recorded, TimeProvider time, TimeSpan idle)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (upgrade is not { IsUpgradableRequest: true } || key.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            return;
        }

        var headers = context.Response.Headers;
        headers.Connection = "Upgrade";
        headers.Upgrade = "websocket";
        headers.SecWebSocketAccept = Accept(key);
        // The recorded subprotocol and extensions are answered only when this client offered them: a client
        // must fail a handshake that names one it did not ask for (RFC 6455 section 4.1).
        var offeredProtocols = context.Request.Headers["Sec-WebSocket-Protocol"].ToString();
        var offeredExtensions = context.Request.Headers["Sec-WebSocket-Extensions"].ToString();
        var inTurns = !recorded.Messages.IsDefaultOrEmpty;
        string? protocol = null;
        foreach (var header in recorded.Headers)
        {
            if (header.Name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase) && Offered(offeredProtocols, header.Value, StringComparison.Ordinal))
            {
                headers[header.Name] = protocol = header.Value;
            }
            else if (!inTurns && header.Name.Equals("Sec-WebSocket-Extensions", StringComparison.OrdinalIgnoreCase) && Offered(offeredExtensions, header.Value.Split(';')[0], StringComparison.OrdinalIgnoreCase))
            {
                // Raw frames are written uncompressed (valid under permessage-deflate); played messages decline it.
                headers[header.Name] = header.Value;
            }
        }

        var stream = await upgrade.UpgradeAsync().ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (inTurns)
            {
                using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, SubProtocol = protocol, KeepAliveInterval = TimeSpan.Zero });
                // A live client that went quiet for a second waits for the server (a multiplexed protocol's next channel opens
                // only once an earlier one answered): the next recorded message goes out then, not at --timeout-cap.
                var session = new WebSocketConversation(socket, WebSocketPeer.Server, payloadCap: 0, time, time.GetTimestamp(), quiet: QuietClient);
                try
                {
                    await session.RunAsync(recorded.Messages, idle, pace: null, substitute: null, awaitPeerClose: true, stop: CancellationToken.None, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    // The client went away or the mock is stopping.
                }

                return;
            }

            var whole = CompleteFramesLength(recorded.Body.Span);
            await stream.WriteAsync(recorded.Body[..whole], context.RequestAborted).ConfigureAwait(false);
            await stream.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            await TunnelReplay.ReadUntilClosedAsync(stream, time, idle, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
