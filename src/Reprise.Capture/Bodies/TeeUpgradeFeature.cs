using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Reprise.Capture.WebSockets;
using Reprise.Core.Protocols;

namespace Reprise.Capture.Bodies;

/// <summary>
/// Wraps the HTTP/1.1 upgrade so the byte streams the forwarder relays are also noted, without holding
/// anything back: a WebSocket session is decoded into messages as it passes (<see cref="WebSocket"/>);
/// any other upgraded protocol is kept raw in the two body captures, up to the cap.
/// </summary>
internal sealed class TeeUpgradeFeature(IHttpUpgradeFeature inner, BodyCapture fromClient, BodyCapture toClient, HttpResponse response, TimeProvider time, long startedTimestamp) : IHttpUpgradeFeature
{
    public bool Upgraded { get; private set; }

    /// <summary>The decoded session when the upgrade was to <c>websocket</c>; null otherwise.</summary>
    public WebSocketCapture? WebSocket { get; private set; }

    /// <summary>The protocol the server switched to (its 101's <c>Upgrade</c> value), once upgraded.</summary>
    public string? SwitchedTo { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        // The forwarder has copied the upstream's 101 headers by now (they go out with the upgrade), so
        // the negotiated Sec-WebSocket-Extensions (permessage-deflate) is known before the first frame.
        // Only a websocket request answered with a websocket switch is decoded as frames; SPDY/3.1 and
        // any other protocol is a tunnel kept raw.
        IUpgradeTap tap;
        SwitchedTo = response.Headers.Upgrade.ToString();
        if (ProtocolClassifier.UpgradeNames(response.HttpContext.Request.Headers.Upgrade.ToString(), "websocket")
            && (SwitchedTo.Length == 0 || ProtocolClassifier.UpgradeNames(SwitchedTo, "websocket")))
        {
            WebSocket = new WebSocketCapture(fromClient.Limit, response.Headers.SecWebSocketExtensions.ToString(), time, startedTimestamp);
            tap = WebSocket;
        }
        else
        {
            tap = new RawUpgradeTap(fromClient, toClient);
        }

        var stream = await inner.UpgradeAsync().ConfigureAwait(false);
        Upgraded = true;
        return new TeeDuplexStream(stream, tap);
    }
}
