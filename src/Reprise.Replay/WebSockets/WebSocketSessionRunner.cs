using System.Buffers;
using System.Collections.Immutable;
using System.Net.WebSockets;
using Reprise.Core.Model;
using Reprise.Replay.Http;

namespace Reprise.Replay.WebSockets;

/// <summary>
/// Replays one recorded WebSocket session (a <c>101</c> to <c>Upgrade: websocket</c>, or a HAR <c>ws://</c> entry):
/// opens it on the target with the recorded handshake headers and sub-protocols (and permessage-deflate when the
/// recorded server accepted it), sends the client's text and binary messages in recorded order and keeps the
/// conversation's turns: before each client message it waits until the server has sent as many messages as it
/// had by then in the recording (so a reply is not overtaken by the next question), and under original pacing
/// also until the message's recorded offset (scaled by <c>--speed</c>). After the last client message it waits for
/// the rest of the recorded server messages (and the server's close, when the server closed), then closes as the
/// client did. Each wait is bounded by the request timeout, and once one runs out the rest are not waited for.
/// The messages both sides sent are the result; ping and pong are answered by the runtime and not replayed.
/// Values the session learned from earlier responses (a token from the login, an id) are substituted into the
/// client's text messages like into a request body, and so are values learned from the server's earlier messages
/// (each paired with the recorded server message at its position, like a response body).
/// </summary>
internal sealed class WebSocketSessionRunner(ReplayOptions options, HttpMessageInvoker invoker)
{
    private static readonly HashSet<string> HandshakeHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Upgrade", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions",
        "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol", "Content-Length", "Transfer-Encoding", "Keep-Alive", "TE",
        "Trailer", "Proxy-Connection", "HTTP2-Settings",
    };

    private static readonly TimeSpan MaxPacingWait = TimeSpan.FromDays(1);

    private readonly TimeProvider _time = options.TimeProvider;

    /// <summary>
    /// Runs the session and fills <paramref name="outcome"/>: the handshake's status and headers, and the messages.
    /// <paramref name="substitute"/> rewrites a client text payload with the session's correlated values (null when there are none);
    /// <paramref name="learn"/> (null: no correlation) is given each server data message the target sent, before the next
    /// client message goes out, with the index of the recorded message at its position and its ordinal among the server's.
    /// </summary>
    public async Task RunAsync(RequestTemplate template, OutgoingRequest? outgoing, string? bearer, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? substitute, Action<int, int, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? learn, SendOutcome outcome, CancellationToken cancellationToken)
    {
        var recorded = template.Recorded;
        using var message = outgoing is null ? template.CreateMessage(bearer) : template.CreateMessage(outgoing, bearer);
        using var socket = new ClientWebSocket();
        Configure(socket.Options, message, recorded);
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

            return;
        }

        outcome.Status = (int)socket.HttpStatusCode is var status and > 0 ? status : 101;
        outcome.Headers = Headers(socket.HttpResponseHeaders);
        outcome.Version = "HTTP/1.1";
        var session = new Conversation(socket, options.BodyCap, _time, outcome.Start);
        var receiving = session.ReceiveAllAsync(cancellationToken);
        try
        {
            var clientClose = await SendAllAsync(session, recorded.Messages, outcome.Start, substitute, learn, cancellationToken).ConfigureAwait(false);
            await session.CloseOutputAsync(clientClose, options.RequestTimeout, cancellationToken).ConfigureAwait(false);

            // The target answers the close with its own, which ends the receive loop.
            await receiving.WaitAsync(options.RequestTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The target dropped the session or never closed it: what was exchanged until then is the result.
        }
        finally
        {
            if (!receiving.IsCompleted || socket.State != WebSocketState.Closed)
            {
                socket.Abort();
            }

            await receiving.ConfigureAwait(false);
            outcome.Messages = session.Messages();
            LearnFrom(session, recorded.Messages, learn); // the last replies too: the result names every id the session was given
        }
    }

    /// <summary>Sends the recorded client messages in turn; returns the client's recorded close, if it closed.</summary>
    private async Task<WebSocketMessage?> SendAllAsync(Conversation session, ImmutableArray<WebSocketMessage> recorded, long start, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? substitute, Action<int, int, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? learn, CancellationToken cancellationToken)
    {
        var serverBefore = 0;
        var serverClosed = false;
        foreach (var message in recorded)
        {
            if (message.From == WebSocketPeer.Server)
            {
                serverBefore += message.Kind is WebSocketMessageKind.Text or WebSocketMessageKind.Binary ? UnitsOf(message) : 0;
                serverClosed |= message.Kind == WebSocketMessageKind.Close;
                continue;
            }

            if (message.Kind is WebSocketMessageKind.Ping or WebSocketMessageKind.Pong)
            {
                continue; // the runtime answers the target's pings itself; an unsolicited one is not part of the API
            }

            if (!await session.WaitForAsync(serverBefore, serverClosed, options.RequestTimeout, cancellationToken).ConfigureAwait(false))
            {
                return null; // the server ended the session
            }

            if (options.Pacing == Pacing.PacingMode.Original)
            {
                var due = _time.GetElapsedTime(start) - (message.Offset / options.Speed);
                if (due < TimeSpan.Zero)
                {
                    // At most a day (a timer's limit is ~49.7 days): an implausible recorded offset is never a failure.
                    await Task.Delay(-due < MaxPacingWait ? -due : MaxPacingWait, _time, cancellationToken).ConfigureAwait(false);
                }
            }

            if (message.Kind == WebSocketMessageKind.Close)
            {
                return message;
            }

            LearnFrom(session, recorded, learn);
            var send = message;
            if (substitute is not null && message is { Kind: WebSocketMessageKind.Text, Payload: { Truncated: false } payload } && substitute(payload.Content) is var content && !content.Equals(payload.Content))
            {
                send = message with { Payload = ExchangeBody.FromBytes(content, payload.MediaType) };
            }

            await session.SendAsync(send, cancellationToken).ConfigureAwait(false);
        }

        // The rest of the recorded server messages, and its close when the server closed first.
        await session.WaitForAsync(serverBefore, serverClosed, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Hands each server unit (a data message, or each record of a record-separated one: see
    /// <see cref="Core.Protocols.FramedJson.Units"/>) not yet learned from to <paramref name="learn"/>, paired with the
    /// recorded server unit at its position (with the index of the recorded message holding it).
    /// </summary>
    private static void LearnFrom(Conversation session, ImmutableArray<WebSocketMessage> recorded, Action<int, int, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? learn)
    {
        if (learn is null)
        {
            return;
        }

        List<(int Index, ReadOnlyMemory<byte> Unit)>? recordedUnits = null;
        foreach (var (ordinal, payload) in session.UnlearnedServerData())
        {
            recordedUnits ??= ServerUnits(recorded);
            if (ordinal < recordedUnits.Count)
            {
                learn(recordedUnits[ordinal].Index, ordinal, recordedUnits[ordinal].Unit, payload);
            }
        }
    }

    private static List<(int Index, ReadOnlyMemory<byte> Unit)> ServerUnits(ImmutableArray<WebSocketMessage> recorded)
    {
        var units = new List<(int, ReadOnlyMemory<byte>)>();
        for (var i = 0; i < recorded.Length; i++)
        {
            if (recorded[i] is { From: WebSocketPeer.Server, Kind: WebSocketMessageKind.Text or WebSocketMessageKind.Binary } message)
            {
                if (message is { Kind: WebSocketMessageKind.Text, Payload: { Truncated: false } payload })
                {
                    foreach (var unit in Core.Protocols.FramedJson.Units(payload.Content))
                    {
                        units.Add((i, unit));
                    }
                }
                else
                {
                    units.Add((i, message.Payload is { Truncated: false } whole ? whole.Content : ReadOnlyMemory<byte>.Empty));
                }
            }
        }

        return units;
    }

    /// <summary>
    /// How many turns a server data message counts for: each record of a record-separated text message (SignalR puts one
    /// or several records in a frame, as they are ready, so the frames differ from run to run), else one.
    /// </summary>
    private static int UnitsOf(WebSocketMessage message) =>
        message is { Kind: WebSocketMessageKind.Text, Payload: { Truncated: false } payload } ? Core.Protocols.FramedJson.Units(payload.Content).Count : 1;

    private static void Configure(ClientWebSocketOptions socket, HttpRequestMessage message, Exchange recorded)
    {
        socket.CollectHttpResponseDetails = true;
        socket.KeepAliveInterval = TimeSpan.Zero; // no pings the recorded client did not send
        foreach (var header in message.Headers)
        {
            if (HandshakeHeaders.Contains(header.Key))
            {
                continue;
            }

            try
            {
                socket.SetRequestHeader(header.Key, string.Join(", ", header.Value));
            }
            catch (ArgumentException)
            {
                // A header the WebSocket handshake cannot carry: the session is still opened without it.
            }
        }

        foreach (var header in recorded.Request.Headers)
        {
            if (header.Name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var protocol in header.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    socket.AddSubProtocol(protocol);
                }
            }
        }

        if (recorded.Response?.Headers.Get("Sec-WebSocket-Extensions") is { } extensions && extensions.Contains("permessage-deflate", StringComparison.OrdinalIgnoreCase))
        {
            socket.DangerousDeflateOptions = new WebSocketDeflateOptions();
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

    /// <summary>One open session's messages (both directions, in the order they were seen) and the server's progress.</summary>
    private sealed class Conversation(ClientWebSocket socket, int bodyCap, TimeProvider time, long start)
    {
        private readonly Lock _gate = new();
        private readonly ImmutableArray<WebSocketMessage>.Builder _messages = ImmutableArray.CreateBuilder<WebSocketMessage>();
        private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _serverData;
        private bool _ended;
        private bool _serverClosed;
        private bool _patient = true;
        private int _learned;

        public ImmutableArray<WebSocketMessage> Messages()
        {
            lock (_gate)
            {
                return _messages.ToImmutable();
            }
        }

        /// <summary>The server's units (ordinal among them, payload; see <see cref="UnitsOf"/>) not returned by an earlier call.</summary>
        public List<(int Ordinal, ReadOnlyMemory<byte> Payload)> UnlearnedServerData()
        {
            var found = new List<(int, ReadOnlyMemory<byte>)>();
            lock (_gate)
            {
                var ordinal = -1;
                foreach (var message in _messages)
                {
                    if (message is not { From: WebSocketPeer.Server, Kind: WebSocketMessageKind.Text or WebSocketMessageKind.Binary })
                    {
                        continue;
                    }

                    if (message is { Kind: WebSocketMessageKind.Text, Payload: { Truncated: false } text })
                    {
                        foreach (var unit in Core.Protocols.FramedJson.Units(text.Content))
                        {
                            if (++ordinal >= _learned)
                            {
                                found.Add((ordinal, unit));
                            }
                        }
                    }
                    else if (++ordinal >= _learned && message.Payload is { Truncated: false } payload)
                    {
                        found.Add((ordinal, payload.Content));
                    }
                }

                _learned = ordinal + 1;
            }

            return found;
        }

        /// <summary>
        /// Waits until the server has sent <paramref name="count"/> data messages (and closed, when asked), within
        /// <paramref name="timeout"/>; false when the session ended first. After one wait ran out, later ones do not wait.
        /// </summary>
        public async Task<bool> WaitForAsync(int count, bool waitForClose, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
            while (true)
            {
                Task progress;
                lock (_gate)
                {
                    if (_serverData >= count && (!waitForClose || _serverClosed))
                    {
                        return true;
                    }

                    if (_ended)
                    {
                        return false;
                    }

                    if (!_patient)
                    {
                        return true;
                    }

                    progress = _progress.Task;
                }

                var left = time.GetElapsedTime(time.GetTimestamp(), deadline);
                if (left <= TimeSpan.Zero)
                {
                    lock (_gate)
                    {
                        _patient = false;
                    }

                    return true;
                }

                try
                {
                    await progress.WaitAsync(left, time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Re-checked above: the deadline has passed.
                }
            }
        }

        public async Task SendAsync(WebSocketMessage message, CancellationToken cancellationToken)
        {
            var payload = message.Payload?.Content ?? ReadOnlyMemory<byte>.Empty;
            var type = message.Kind == WebSocketMessageKind.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
            // Listed before it goes out: the reply may arrive before the send completes.
            Add(message with { Offset = time.GetElapsedTime(start), Compressed = socket.Options.DangerousDeflateOptions is not null });
            await socket.SendAsync(payload, type, WebSocketMessageFlags.EndOfMessage, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Sends the client's close (the recorded code and reason, if it sent one; else a normal closure), or answers
        /// the server's; nothing once the session is over.
        /// </summary>
        public async Task CloseOutputAsync(WebSocketMessage? recorded, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            {
                return;
            }

            var code = recorded?.CloseCode is { } recordedCode and >= 1000 and <= 4999 ? (WebSocketCloseStatus)recordedCode : WebSocketCloseStatus.NormalClosure;
            var reason = recorded?.CloseReason;
            Add(new WebSocketMessage { From = WebSocketPeer.Client, Kind = WebSocketMessageKind.Close, Offset = time.GetElapsedTime(start), CloseCode = (int)code, CloseReason = reason });
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(timeout);
            await socket.CloseOutputAsync(code, reason, bounded.Token).ConfigureAwait(false);
        }

        /// <summary>Reads the server's messages until it closes or the session is aborted.</summary>
        public async Task ReceiveAllAsync(CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            var payload = new ArrayBufferWriter<byte>();
            long size = 0;
            try
            {
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        Add(new WebSocketMessage
                        {
                            From = WebSocketPeer.Server,
                            Kind = WebSocketMessageKind.Close,
                            Offset = time.GetElapsedTime(start),
                            CloseCode = socket.CloseStatus is { } status ? (int)status : null,
                            CloseReason = string.IsNullOrEmpty(socket.CloseStatusDescription) ? null : socket.CloseStatusDescription,
                        });
                        return;
                    }

                    size += result.Count;
                    var keep = Math.Min(result.Count, Math.Max(0, bodyCap - payload.WrittenCount));
                    payload.Write(buffer.AsSpan(0, keep));
                    if (!result.EndOfMessage)
                    {
                        continue;
                    }

                    var text = result.MessageType == WebSocketMessageType.Text;
                    Add(new WebSocketMessage
                    {
                        From = WebSocketPeer.Server,
                        Kind = text ? WebSocketMessageKind.Text : WebSocketMessageKind.Binary,
                        Offset = time.GetElapsedTime(start),
                        Compressed = socket.Options.DangerousDeflateOptions is not null,
                        Payload = size == 0 ? null : new ExchangeBody { Content = payload.WrittenSpan.ToArray(), Size = size, Truncated = size > payload.WrittenCount },
                    });
                    payload.ResetWrittenCount();
                    size = 0;
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Aborted (shutdown, the client's side ended) or dropped by the target: the session ends with what was seen.
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                lock (_gate)
                {
                    _ended = true;
                }

                Signal();
            }
        }

        private void Add(WebSocketMessage message)
        {
            lock (_gate)
            {
                _messages.Add(message);
                if (message.From == WebSocketPeer.Server)
                {
                    _serverData += message.Kind is WebSocketMessageKind.Text or WebSocketMessageKind.Binary ? UnitsOf(message) : 0;
                    _serverClosed |= message.Kind == WebSocketMessageKind.Close;
                }
            }

            if (message.From == WebSocketPeer.Server)
            {
                Signal();
            }
        }

        private void Signal()
        {
            TaskCompletionSource fired;
            lock (_gate)
            {
                fired = _progress;
                _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            fired.TrySetResult();
        }
    }
}
