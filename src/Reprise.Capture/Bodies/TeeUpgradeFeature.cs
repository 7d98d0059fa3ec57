using Microsoft.AspNetCore.Http.Features;

namespace Reprise.Capture.Bodies;

/// <summary>
/// Wraps the HTTP/1.1 upgrade so the WebSocket byte streams the forwarder relays are also noted (raw
/// RFC 6455 frames, up to the cap), without holding anything back.
/// </summary>
internal sealed class TeeUpgradeFeature(IHttpUpgradeFeature inner, BodyCapture fromClient, BodyCapture toClient) : IHttpUpgradeFeature
{
    public bool Upgraded { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        var stream = await inner.UpgradeAsync().ConfigureAwait(false);
        Upgraded = true;
        return new TeeDuplexStream(stream, fromClient, toClient);
    }
}
