using System.Collections.Immutable;
using Reprise.Core.Model;

namespace Reprise.Diff.Engine;

/// <summary>
/// What the diff keeps of a recorded exchange while results stream past: the response (status,
/// headers, trailers, body), the error, the duration and enough of the request to show it. The
/// request body and headers are dropped; whether it is GraphQL and its error kind are kept, and of a
/// WebSocket session the server's data messages (what the service said; the client's are what was sent).
/// </summary>
internal sealed record RecordedEntry(
    string Id,
    string Endpoint,
    string Method,
    string Url,
    Protocol Protocol,
    ExchangeResponse? Response,
    ExchangeError? Error,
    double DurationMs,
    bool IsGraphQl,
    string? ErrorKind,
    ImmutableArray<WebSocketMessage> ServerMessages)
{
    /// <summary>
    /// The comparable view of a recorded or a result exchange (one shape, so both sides compare the same way).
    /// A result replays its recorded request: pass <paramref name="graphQl"/> from the recorded entry.
    /// </summary>
    public static RecordedEntry From(Exchange exchange, string endpoint, bool graphQl = false)
    {
        var isGraphQl = graphQl || ErrorClass.IsGraphQl(exchange);
        return new(
            exchange.Id,
            endpoint,
            exchange.Request.Method,
            exchange.Request.Url,
            exchange.Protocol,
            exchange.Response,
            exchange.Error,
            exchange.Duration.TotalMilliseconds,
            isGraphQl,
            ErrorClass.Of(exchange.Response, exchange.Error, isGraphQl),
            ServerData(exchange.Messages));
    }

    private static ImmutableArray<WebSocketMessage> ServerData(ImmutableArray<WebSocketMessage> messages)
    {
        if (messages.IsDefaultOrEmpty)
        {
            return [];
        }

        var server = ImmutableArray.CreateBuilder<WebSocketMessage>();
        foreach (var message in messages)
        {
            if (message is { From: WebSocketPeer.Client, Kind: WebSocketMessageKind.Close })
            {
                // Once the client has closed, what the server still flushes depends on timing (SignalR answers the client's
                // {"type":7} with its own in some runs and not in others): it is not part of the conversation compared.
                break;
            }

            if (message.From == WebSocketPeer.Server && message.Kind is WebSocketMessageKind.Text or WebSocketMessageKind.Binary)
            {
                server.Add(message);
            }
        }

        return server.ToImmutable();
    }

    public ImmutableArray<HeaderField> Headers => Response?.Headers ?? [];
}
