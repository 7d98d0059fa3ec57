namespace Reprise.Capture.Bodies;

/// <summary>Keeps the head of both byte streams of an upgraded connection that is not a WebSocket (unknown protocol: stored raw).</summary>
internal sealed class RawUpgradeTap(BodyCapture fromClient, BodyCapture toClient) : IUpgradeTap
{
    public void FromClient(ReadOnlySpan<byte> bytes) => fromClient.Append(bytes);

    public void ToClient(ReadOnlySpan<byte> bytes) => toClient.Append(bytes);
}
