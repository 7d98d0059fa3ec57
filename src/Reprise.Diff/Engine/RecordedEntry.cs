using System.Collections.Immutable;
using Reprise.Core.Model;

namespace Reprise.Diff.Engine;

/// <summary>
/// What the diff keeps of a recorded exchange while results stream past: the response (status,
/// headers, trailers, body), the error, the duration and enough of the request to show it. The
/// request body and headers are dropped; whether it is GraphQL and its error kind are kept, and of a
/// WebSocket session the server's data messages with their turn (how many client messages came before each:
/// what the service said, and in answer to what) instead of the stored raw frames.
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
    ImmutableArray<WebSocketMessage> ServerMessages,
    ImmutableArray<int> ServerTurns,
    bool MessagesIncomplete,
    string? RequestLength = null,
    bool RequestBodyRedacted = false,
    string? RequestHost = null,
    bool DurationKnown = true)
{
    /// <summary>
    /// The comparable view of a recorded or a result exchange (one shape, so both sides compare the same way).
    /// A result replays its recorded request: pass <paramref name="graphQl"/> from the recorded entry.
    /// </summary>
    public static RecordedEntry From(Exchange exchange, string endpoint, bool graphQl = false)
    {
        var isGraphQl = graphQl || ErrorClass.IsGraphQl(exchange);
        var session = exchange.Response is { Status: 101 } upgraded && !exchange.Messages.IsDefaultOrEmpty;
        var (messages, turns) = session ? ServerData(exchange.Messages) : ([], []);
        return new(
            exchange.Id,
            endpoint,
            exchange.Request.Method,
            exchange.Request.Url,
            exchange.Protocol,
            session ? exchange.Response! with { Body = null } : exchange.Response, // a session's body is its raw frames
            exchange.Error,
            exchange.Duration.TotalMilliseconds,
            isGraphQl,
            ErrorClass.Of(exchange.Response, exchange.Error, isGraphQl),
            messages,
            turns,
            exchange.Tags.ContainsKey(WellKnownTags.WebSocketDropped) || exchange.Tags.ContainsKey(WellKnownTags.WebSocketError),
            exchange.Request.Headers.Get("content-length") ?? exchange.Request.Body?.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
            RedactedRequestBody(exchange.Redactions),
            exchange.Request.Headers.Get("host"),
            !exchange.Tags.ContainsKey(WellKnownTags.DurationUnknown));
    }

    /// <summary>True when redaction changed the request body (its length may then differ from what the service saw).</summary>
    private static bool RedactedRequestBody(ImmutableArray<Core.Model.Redaction> redactions)
    {
        foreach (var redaction in redactions.IsDefault ? [] : redactions)
        {
            if (redaction.Location.StartsWith("request.body", StringComparison.Ordinal) && redaction.Action != "keep")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for an upgraded session (a 101): compared by its messages; its duration is the session's, not a latency.</summary>
    public bool IsSession => Response is { Status: 101 };

    private static (ImmutableArray<WebSocketMessage> Messages, ImmutableArray<int> Turns) ServerData(ImmutableArray<WebSocketMessage> messages)
    {
        var server = ImmutableArray.CreateBuilder<WebSocketMessage>();
        var turns = ImmutableArray.CreateBuilder<int>();
        var turn = 0;
        foreach (var message in messages)
        {
            if (message is { From: WebSocketPeer.Client, Kind: WebSocketMessageKind.Close })
            {
                // Once the client has closed, what the server still flushes depends on timing (SignalR answers the client's
                // {"type":7} with its own in some runs and not in others): it is not part of the conversation compared.
                break;
            }

            if (message.Kind is not (WebSocketMessageKind.Text or WebSocketMessageKind.Binary))
            {
                continue;
            }

            if (message.From == WebSocketPeer.Client)
            {
                turn++;
            }
            else if (message is { Kind: WebSocketMessageKind.Text, Payload: { Truncated: false } payload } && payload.Content.Span.IndexOf(Core.Protocols.FramedJson.RecordSeparator) >= 0)
            {
                // A record-separated protocol (SignalR) puts one or several records in a frame as they are ready,
                // differently from run to run: the records are what was said, so they are compared, not the frames.
                foreach (var unit in Core.Protocols.FramedJson.Units(payload.Content))
                {
                    server.Add(message with { Payload = ExchangeBody.FromBytes(unit, payload.MediaType) });
                    turns.Add(turn);
                }
            }
            else
            {
                server.Add(message);
                turns.Add(turn);
            }
        }

        return (server.ToImmutable(), turns.ToImmutable());
    }

    public ImmutableArray<HeaderField> Headers => Response?.Headers ?? [];
}
