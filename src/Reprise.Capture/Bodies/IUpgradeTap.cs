namespace Reprise.Capture.Bodies;

/// <summary>Sees the bytes an upgraded connection relays, after they were relayed; must not throw or keep the spans.</summary>
internal interface IUpgradeTap
{
    /// <summary>Bytes read from the client (on their way to the server).</summary>
    void FromClient(ReadOnlySpan<byte> bytes);

    /// <summary>Bytes written to the client (from the server).</summary>
    void ToClient(ReadOnlySpan<byte> bytes);
}
