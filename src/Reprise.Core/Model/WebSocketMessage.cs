namespace Reprise.Core.Model;

/// <summary>
/// One WebSocket message (RFC 6455 section 5.6) or control frame of a recorded session, decoded from the
/// frames that crossed the proxy: fragments reassembled, client masking removed, permessage-deflate
/// (RFC 7692) inflated.
/// </summary>
public sealed record WebSocketMessage
{
    /// <summary>Who sent it.</summary>
    public required WebSocketPeer From { get; init; }

    /// <summary>When the message was complete (its last frame seen), from <see cref="Exchange.StartedAt"/>.</summary>
    public TimeSpan Offset { get; init; }

    /// <summary>Text, binary, or a control frame.</summary>
    public required WebSocketMessageKind Kind { get; init; }

    /// <summary>True when the sender compressed it with permessage-deflate (the payload is stored inflated).</summary>
    public bool Compressed { get; init; }

    /// <summary>
    /// The payload (data and ping/pong application data; null for an empty payload and for close, whose
    /// payload is <see cref="CloseCode"/> and <see cref="CloseReason"/>). Follows the body rules: text is
    /// stored as UTF-8, binary as base64; <c>Truncated</c> when the capture cap cut it.
    /// </summary>
    public ExchangeBody? Payload { get; init; }

    /// <summary>The close status code (close frames that carry one).</summary>
    public int? CloseCode { get; init; }

    /// <summary>The close reason (close frames that carry one).</summary>
    public string? CloseReason { get; init; }

    /// <summary>The RFC 6455 opcode of <paramref name="type"/> (text 1, binary 2, close 8, ping 9, pong 10).</summary>
    public static int OpcodeOf(WebSocketMessageKind type) => type switch
    {
        WebSocketMessageKind.Text => 1,
        WebSocketMessageKind.Binary => 2,
        WebSocketMessageKind.Close => 8,
        WebSocketMessageKind.Ping => 9,
        WebSocketMessageKind.Pong => 10,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
