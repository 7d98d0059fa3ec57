namespace Reprise.Core.Model;

/// <summary>Which end of a WebSocket session sent a message.</summary>
public enum WebSocketPeer
{
    /// <summary>The client (the side that sent the upgrade request; HAR "send").</summary>
    Client,

    /// <summary>The server (HAR "receive").</summary>
    Server,
}
