namespace Reprise.Core.Model;

/// <summary>The kind of a WebSocket message (RFC 6455 section 5.2 opcodes; continuation frames are folded into their message).</summary>
public enum WebSocketMessageKind
{
    /// <summary>Opcode 1: UTF-8 text.</summary>
    Text,

    /// <summary>Opcode 2: binary data.</summary>
    Binary,

    /// <summary>Opcode 8: close, with an optional status code and reason.</summary>
    Close,

    /// <summary>Opcode 9: ping.</summary>
    Ping,

    /// <summary>Opcode 10: pong.</summary>
    Pong,
}
