using System.Collections.Immutable;
using System.Net.WebSockets;
using Reprise.Core.Model;
using Reprise.Core.Protocols;
using Reprise.Replay.Http;

namespace Reprise.Replay.WebSockets;

/// <summary>
/// Replays one recorded WebSocket session (a <c>101</c> to <c>Upgrade: websocket</c>, or a HAR <c>ws://</c> entry):
/// opens it on the target with the recorded handshake headers and sub-protocols (and permessage-deflate when the
/// recorded server accepted it), then plays the client's side in turns (<see cref="WebSocketConversation"/>), each
/// client message also waiting, under recorded pacing, for its recorded offset scaled by <c>--speed</c>. Values the
/// session learned from earlier responses (a token from the login, an id) are substituted into the client's text
/// messages as into a request body, and so are values learned from the server's earlier messages (each paired with
/// the recorded server message at its position, like a response body). The handshake's status and headers and the
/// messages both sides sent are the result.
/// </summary>
internal sealed class WebSocketSessionRunner(ReplayOptions options, HttpMessageInvoker invoker)
{
    /// <summary>The handshake's own headers, which the WebSocket client writes itself (hop-by-hop ones: <see cref="HopByHop"/>).</summary>
    private static readonly HashSet<string> HandshakeHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol", "HTTP2-Settings",
    };

    private static readonly TimeSpan MaxPacingWait = TimeSpan.FromDays(1);

    private readonly TimeProvider _time = options.TimeProvider;

    /// <summary>
    /// Opens the session (the handshake) and fills <paramref name="outcome"/>'s status and headers; null when no
    /// session opened: a transport error, or the target answered without upgrading (that answer is the result).
    /// </summary>
    public async Task<ClientWebSocket?> OpenAsync(RequestTemplate template, OutgoingRequest? outgoing, string? bearer, SendOutcome outcome, CancellationToken cancellationToken)
    {
        using var message = outgoing is null ? template.CreateMessage(bearer) : template.CreateMessage(outgoing, bearer);
        var socket = new ClientWebSocket();
        Configure(socket.Options, message, template);
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(options.RequestTimeout);
        try
        {
            await socket.ConnectAsync(ToWebSocketUri(message.RequestUri!), invoker, connect.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (socket.HttpStatusCode != 0)
            {
                // The target answered without upgrading (404, 400, 426...): that response is the result diff compares.
                outcome.Status = (int)socket.HttpStatusCode;
                outcome.Headers = Headers(socket.HttpResponseHeaders);
                outcome.Version = "HTTP/1.1";
            }
            else
            {
                outcome.Error = ex switch
                {
                    OperationCanceledException => HttpClientTransport.TimeoutError(options),
                    HttpRequestException http => HttpClientTransport.Classify(http),
                    { InnerException: HttpRequestException http } => HttpClientTransport.Classify(http),
                    _ => new ExchangeError(ExchangeErrorKind.Protocol, "WebSocket handshake failed: " + ex.Message),
                };
            }

            socket.Dispose();
            return null;
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        outcome.Status = (int)socket.HttpStatusCode is var status and > 0 ? status : 101;
        outcome.Headers = Headers(socket.HttpResponseHeaders);
        outcome.Version = "HTTP/1.1";
        return socket;
    }

    /// <summary>
    /// Plays the recorded client's side on an opened session and closes it; the messages both sides sent go to
    /// <paramref name="outcome"/>, and what cut the session short to <paramref name="tags"/>.
    /// <paramref name="substitute"/> rewrites a client text payload with the session's correlated values (null when there are none);
    /// <paramref name="learn"/> (null: no correlation) is given each server data message the target sent, before the next
    /// client message goes out, with the index of the recorded message at its position and its ordinal among the server's.
    /// <paramref name="stop"/> (the end of a <c>--duration</c> run) closes the session with 1001 before its recorded end.
    /// </summary>
    public async Task PlayAsync(ClientWebSocket socket, RequestTemplate template, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? substitute, Action<int, int, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? learn, SendOutcome outcome, Dictionary<string, string> tags, CancellationToken stop, CancellationToken cancellationToken)
    {
        // Compressed only when the target accepted permessage-deflate, not when it was merely offered.
        var compressed = outcome.Headers.Get("Sec-WebSocket-Extensions")?.Contains("permessage-deflate", StringComparison.OrdinalIgnoreCase) ?? false;
        var session = new WebSocketConversation(socket, WebSocketPeer.Client, options.BodyCap, _time, outcome.Start, compressed);
        var recorded = template.Recorded.Messages;
        var recordedUnits = new Lazy<List<(int Index, ReadOnlyMemory<byte> Unit)>>(() => ServerUnits(recorded), LazyThreadSafetyMode.None); // split once per session
        try
        {
            var pace = Pace(outcome.Start);
            Func<WebSocketMessage, CancellationToken, Task>? beforeSend = learn is null ? pace : async (message, token) =>
            {
                if (pace is not null)
                {
                    await pace(message, token).ConfigureAwait(false);
                }

                LearnFrom(session, recordedUnits, learn);
            };
            await session.RunAsync(recorded, options.RequestTimeout, beforeSend, substitute, awaitPeerClose: false, stop, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            outcome.Messages = session.Messages();
            LearnFrom(session, recordedUnits, learn); // the last replies too: the result names every id the session was given
            if (session.Dropped > 0)
            {
                tags[WellKnownTags.WebSocketDropped] = session.Dropped.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (session.StoppedAtCutMessage)
            {
                tags[WellKnownTags.WebSocketError] = "stopped at a client message the capture cut (body cap): not sent";
            }
            else if (session.StoppedEarly)
            {
                tags[WellKnownTags.WebSocketError] = "closed (1001) when the run's --duration ended, before the session's recorded end";
            }
        }
    }

    /// <summary>Under recorded pacing, a client message waits for its recorded offset (scaled by --speed); otherwise none.</summary>
    private Func<WebSocketMessage, CancellationToken, Task>? Pace(long start)
    {
        if (options.Pacing != Pacing.PacingMode.Original)
        {
            return null;
        }

        return (message, cancellationToken) =>
        {
            // At most a day (a timer's limit is ~49.7 days): an implausible recorded offset is never a failure.
            var early = (message.Offset / options.Speed) - _time.GetElapsedTime(start);
            return early > TimeSpan.Zero ? Task.Delay(early < MaxPacingWait ? early : MaxPacingWait, _time, cancellationToken) : Task.CompletedTask;
        };
    }

    /// <summary>
    /// Hands each server unit (a data message, or each record of a record-separated one: see
    /// <see cref="Core.Protocols.FramedJson.Units"/>) not yet learned from to <paramref name="learn"/>, paired with the
    /// recorded server unit at its position (with the index of the recorded message holding it), when the two look like
    /// the same kind of message (<see cref="Shape"/>): a push the target sent more or fewer times than recorded shifts the
    /// positions, and pairing a price tick with an order confirmation would teach the session a wrong id.
    /// </summary>
    private static void LearnFrom(WebSocketConversation session, Lazy<List<(int Index, ReadOnlyMemory<byte> Unit)>> recordedUnits, Action<int, int, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? learn)
    {
        if (learn is null)
        {
            return;
        }

        foreach (var (ordinal, payload) in session.UnlearnedPeerData())
        {
            if (ordinal < recordedUnits.Value.Count && SameShape(recordedUnits.Value[ordinal].Unit.Span, payload.Span))
            {
                learn(recordedUnits.Value[ordinal].Index, ordinal, recordedUnits.Value[ordinal].Unit, payload);
            }
        }
    }

    private static bool SameShape(ReadOnlySpan<byte> recorded, ReadOnlySpan<byte> live) =>
        Shape(recorded) is not { } expected || Shape(live) is not { } actual || string.Equals(expected, actual, StringComparison.Ordinal);

    /// <summary>
    /// What kind of message a JSON unit is (null when it is not JSON): its framing prefix (a Socket.IO packet type), then
    /// for an object the values of its discriminating members (<c>type</c>, <c>event</c>, <c>target</c>, <c>op</c>,
    /// <c>action</c>, <c>kind</c>, <c>invocationId</c>) or, without any, its member names; for an array its first element
    /// when that is a string (a Socket.IO event name).
    /// </summary>
    internal static string? Shape(ReadOnlySpan<byte> unit)
    {
        var json = unit;
        var prefix = string.Empty;
        if (FramedJson.Split(unit) is { } records)
        {
            if (records.Count != 1)
            {
                return null;
            }

            prefix = System.Text.Encoding.UTF8.GetString(unit[records[0].PrefixStart..records[0].JsonStart]).Trim();
            json = unit.Slice(records[0].JsonStart, records[0].JsonLength);
        }

        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(json);
            using var document = System.Text.Json.JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var shape = new System.Text.StringBuilder(prefix).Append('|');
            if (root.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                // Discriminating members decide when there are any (optional fields may come and go); else the member names.
                var length = shape.Length;
                foreach (var member in root.EnumerateObject())
                {
                    if (member.Name is "type" or "event" or "target" or "op" or "action" or "kind" or "invocationId"
                        && member.Value.ValueKind is System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Number)
                    {
                        shape.Append(member.Name).Append('=').Append(member.Value.GetRawText()).Append(',');
                    }
                }

                if (shape.Length == length)
                {
                    shape.AppendJoin(',', root.EnumerateObject().Select(m => m.Name).Order(StringComparer.Ordinal));
                }
            }
            else if (root.ValueKind == System.Text.Json.JsonValueKind.Array && root.GetArrayLength() > 0 && root[0].ValueKind == System.Text.Json.JsonValueKind.String)
            {
                shape.Append('[').Append(root[0].GetString());
            }
            else
            {
                shape.Append(root.ValueKind);
            }

            return shape.ToString();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return null; // not JSON, or a member name or string holding a lone surrogate escape: no shape to match by
        }
    }

    private static List<(int Index, ReadOnlyMemory<byte> Unit)> ServerUnits(ImmutableArray<WebSocketMessage> recorded)
    {
        var units = new List<(int, ReadOnlyMemory<byte>)>();
        for (var i = 0; i < recorded.Length; i++)
        {
            if (recorded[i] is { From: WebSocketPeer.Server, Kind: WebSocketMessageKind.Text or WebSocketMessageKind.Binary } message)
            {
                foreach (var unit in WebSocketConversation.Units(message))
                {
                    units.Add((i, unit));
                }
            }
        }

        return units;
    }

    private void Configure(ClientWebSocketOptions socket, HttpRequestMessage message, RequestTemplate template)
    {
        var recorded = template.Recorded;
        socket.CollectHttpResponseDetails = true;
        socket.KeepAliveInterval = TimeSpan.Zero; // no pings the recorded client did not send
        foreach (var header in message.Headers)
        {
            if (HopByHop.IsDropped(header.Key) || HandshakeHeaders.Contains(header.Key))
            {
                continue;
            }

            TrySet(socket, header.Key, string.Join(", ", header.Value));
        }

        if (options.PreserveHost && template.SentRequest.Headers.Get("Host") is { } host && !host.Equals(message.RequestUri!.Authority, StringComparison.OrdinalIgnoreCase))
        {
            TrySet(socket, "Host", host); // --preserve-host: the recorded Host, as for requests (an ingress routes by it)
        }

        var protocols = new HashSet<string>(StringComparer.Ordinal);
        foreach (var header in recorded.Request.Headers)
        {
            if (header.Name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var protocol in header.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    try
                    {
                        if (protocols.Add(protocol))
                        {
                            socket.AddSubProtocol(protocol);
                        }
                    }
                    catch (ArgumentException)
                    {
                        // Not a valid token (a recording from a lenient client): offered without it.
                    }
                }
            }
        }

        if (recorded.Response?.Headers.Get("Sec-WebSocket-Extensions") is { } extensions && extensions.Contains("permessage-deflate", StringComparison.OrdinalIgnoreCase))
        {
            socket.DangerousDeflateOptions = new WebSocketDeflateOptions();
        }
    }

    private static void TrySet(ClientWebSocketOptions socket, string name, string value)
    {
        try
        {
            socket.SetRequestHeader(name, value);
        }
        catch (ArgumentException)
        {
            // A header the WebSocket handshake cannot carry: the session is still opened without it.
        }
    }

    private static Uri ToWebSocketUri(Uri uri)
    {
        var builder = new UriBuilder(uri)
        {
            Scheme = uri.Scheme.Equals(Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase) || uri.Scheme.Equals("wss", StringComparison.OrdinalIgnoreCase) ? "wss" : "ws",
        };
        if (uri.IsDefaultPort)
        {
            builder.Port = -1;
        }

        return builder.Uri;
    }

    private static ImmutableArray<HeaderField> Headers(IReadOnlyDictionary<string, IEnumerable<string>>? headers)
    {
        if (headers is null)
        {
            return [];
        }

        var fields = ImmutableArray.CreateBuilder<HeaderField>(headers.Count);
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                fields.Add(new HeaderField(name, value));
            }
        }

        return fields.ToImmutable();
    }
}
