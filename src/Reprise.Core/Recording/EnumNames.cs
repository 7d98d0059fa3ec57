using Reprise.Core.Model;

namespace Reprise.Core.Recording;

/// <summary>The wire spelling of the model's enums (stable: part of the recording format).</summary>
public static class EnumNames
{
    public static string ToWire(this Direction value) => value == Direction.Outbound ? "outbound" : "inbound";

    public static string ToWire(this Protocol value) => value switch
    {
        Protocol.Http1 => "http1",
        Protocol.Http2 => "http2",
        Protocol.Http3 => "http3",
        Protocol.Grpc => "grpc",
        Protocol.GraphQL => "graphql",
        Protocol.Soap => "soap",
        Protocol.WebSocket => "websocket",
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    public static string ToWire(this ExchangeErrorKind value) => value switch
    {
        ExchangeErrorKind.Connect => "connect",
        ExchangeErrorKind.Timeout => "timeout",
        ExchangeErrorKind.Reset => "reset",
        ExchangeErrorKind.Protocol => "protocol",
        ExchangeErrorKind.Canceled => "canceled",
        _ => "other",
    };

    public static string ToWire(this WebSocketPeer value) => value == WebSocketPeer.Server ? "server" : "client";

    public static string ToWire(this WebSocketMessageKind value) => value switch
    {
        WebSocketMessageKind.Text => "text",
        WebSocketMessageKind.Binary => "binary",
        WebSocketMessageKind.Close => "close",
        WebSocketMessageKind.Ping => "ping",
        WebSocketMessageKind.Pong => "pong",
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    public static bool TryParsePeer(string? text, out WebSocketPeer value)
    {
        switch (text?.ToLowerInvariant())
        {
            case "client": value = WebSocketPeer.Client; return true;
            case "server": value = WebSocketPeer.Server; return true;
            default: value = default; return false;
        }
    }

    public static bool TryParseMessageType(string? text, out WebSocketMessageKind value)
    {
        switch (text?.ToLowerInvariant())
        {
            case "text": value = WebSocketMessageKind.Text; return true;
            case "binary": value = WebSocketMessageKind.Binary; return true;
            case "close": value = WebSocketMessageKind.Close; return true;
            case "ping": value = WebSocketMessageKind.Ping; return true;
            case "pong": value = WebSocketMessageKind.Pong; return true;
            default: value = default; return false;
        }
    }

    public static bool TryParseDirection(string? text, out Direction value)
    {
        switch (text?.ToLowerInvariant())
        {
            case "inbound":
                value = Direction.Inbound;
                return true;
            case "outbound":
                value = Direction.Outbound;
                return true;
            default:
                value = default;
                return false;
        }
    }

    public static bool TryParseProtocol(string? text, out Protocol value)
    {
        switch (text?.ToLowerInvariant())
        {
            case "http1": value = Protocol.Http1; return true;
            case "http2": value = Protocol.Http2; return true;
            case "http3": value = Protocol.Http3; return true;
            case "grpc": value = Protocol.Grpc; return true;
            case "graphql": value = Protocol.GraphQL; return true;
            case "soap": value = Protocol.Soap; return true;
            case "websocket": value = Protocol.WebSocket; return true;
            default: value = default; return false;
        }
    }

    public static ExchangeErrorKind ParseErrorKind(string? text) => text?.ToLowerInvariant() switch
    {
        "connect" => ExchangeErrorKind.Connect,
        "timeout" => ExchangeErrorKind.Timeout,
        "reset" => ExchangeErrorKind.Reset,
        "protocol" => ExchangeErrorKind.Protocol,
        "canceled" => ExchangeErrorKind.Canceled,
        _ => ExchangeErrorKind.Other,
    };
}
