using System.Buffers;
using System.Collections.Immutable;
using System.Net.WebSockets;
using Reprise.Core.Model;

namespace Reprise.Core.Protocols;

/// <summary>
/// Plays one side of a recorded WebSocket session on a live socket, in turns: replay plays the client against a
/// target, the mock plays the server to a live client. Before each of its recorded text or binary messages it waits
/// until the other side has sent as many messages as it had by then in the recording (so an answer never overtakes
/// its question), then sends it; after its last one it waits for the rest of the other side's recorded messages
/// (and its close, when the other side closed first), then closes with its recorded close code. Every wait is
/// bounded by the turn timeout (sends too), and once one wait runs out the later ones do not wait. Ping and pong are
/// answered by the runtime, not replayed. A message of its side that the capture cut ends the play there (the rest of
/// the conversation would answer a message that was never sent whole): <see cref="StoppedAtCutMessage"/>. The messages
/// both sides sent are kept in the order seen, with offsets from <c>start</c>, like the recorder keeps them: at most
/// <see cref="MaxMessages"/> (the rest counted in <see cref="Dropped"/>), received payloads within one budget per session.
/// </summary>
public sealed class WebSocketConversation
{
    /// <summary>Most messages kept per session (as the recorder).</summary>
    public const int MaxMessages = 10_000;

    private readonly WebSocket _socket;
    private readonly WebSocketPeer _me;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly bool _compressed;
    private readonly Lock _gate = new();
    private readonly ImmutableArray<WebSocketMessage>.Builder _messages = ImmutableArray.CreateBuilder<WebSocketMessage>();
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _received;
    private int _learned;
    private int _learnedMessages;
    private readonly List<int> _units = [];
    private long _budget;
    private bool _ended;
    private bool _peerClosed;
    private bool _patient = true;
    private long _lastPeerMessage;
    private readonly TimeSpan _quiet;

    /// <param name="socket">The open session.</param>
    /// <param name="me">The side this end plays.</param>
    /// <param name="payloadCap">Bytes of received payloads kept over the whole session (the rest counted as <c>Size</c>, <c>Truncated</c>).</param>
    /// <param name="time">The clock offsets and waits use.</param>
    /// <param name="start">The session's start (a <paramref name="time"/> timestamp); offsets count from it.</param>
    /// <param name="compressed">True when permessage-deflate was negotiated (messages are noted as compressed).</param>
    /// <param name="quiet">
    /// When set, a wait before one of this side's messages also ends once the other side has sent nothing for this long
    /// (since its last message, or since the wait began): it is waiting for this side. A multiplexed protocol (Cockpit's
    /// channels) opens channels as earlier ones answer, so the recorded count before a reply can include messages the live
    /// peer sends only after that reply; the mock waited for them until the turn timeout.
    /// </param>
    public WebSocketConversation(WebSocket socket, WebSocketPeer me, int payloadCap, TimeProvider time, long start, bool compressed = false, TimeSpan quiet = default)
    {
        _quiet = quiet;
        _lastPeerMessage = start;
        _socket = socket;
        _me = me;
        _budget = payloadCap;
        _time = time;
        _start = start;
        _compressed = compressed;
    }

    /// <summary>Messages seen after <see cref="MaxMessages"/> were kept (not stored, still counted for the turns).</summary>
    public int Dropped { get; private set; }

    /// <summary>True when the play stopped at a message of its side that the capture cut (sent no further).</summary>
    public bool StoppedAtCutMessage { get; private set; }

    /// <summary>True when the play was stopped before its recorded end (the stop token of <see cref="RunAsync"/>): later messages of either side may be missing.</summary>
    public bool StoppedEarly { get; private set; }

    /// <summary>The other side's complete data messages (ordinal among them, payload) not returned by an earlier call; cut payloads are left out.</summary>
    public IReadOnlyList<(int Ordinal, ReadOnlyMemory<byte> Payload)> UnlearnedPeerData()
    {
        var found = new List<(int, ReadOnlyMemory<byte>)>();
        lock (_gate)
        {
            // Continues where the last call stopped: each message is split into its units once.
            for (; _learnedMessages < _messages.Count; _learnedMessages++)
            {
                var message = _messages[_learnedMessages];
                if (message.From != _me && IsData(message))
                {
                    if (message.Payload is { Truncated: true })
                    {
                        _learned += _units[_learnedMessages]; // counted, not learned from: the payload was cut
                        continue;
                    }

                    foreach (var unit in Units(message))
                    {
                        found.Add((_learned++, unit));
                    }
                }
            }
        }

        return found;
    }

    /// <summary>The messages seen so far, both sides, in order.</summary>
    public ImmutableArray<WebSocketMessage> Messages()
    {
        lock (_gate)
        {
            return _messages.ToImmutable();
        }
    }

    /// <summary>
    /// Plays this side of <paramref name="recorded"/> to the end and closes. <paramref name="pace"/> runs before each
    /// message is sent (recorded pacing); <paramref name="substitute"/> rewrites a text payload (correlated values).
    /// With <paramref name="awaitPeerClose"/>, a recording in which this side never closed leaves the session open until
    /// the other side closes (or a turn timeout passes). Returns when the session is over; failures of the other side
    /// (a reset, a close that never comes) end it with what was seen. <paramref name="stop"/> ends the play early but
    /// cleanly: no further message is sent, this side closes with 1001 (going away) and the other side's close is
    /// awaited (<see cref="StoppedEarly"/>). Cancellation aborts the socket.
    /// </summary>
    public async Task RunAsync(
        ImmutableArray<WebSocketMessage> recorded,
        TimeSpan turnTimeout,
        Func<WebSocketMessage, CancellationToken, Task>? pace,
        Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? substitute,
        bool awaitPeerClose,
        CancellationToken stop,
        CancellationToken cancellationToken)
    {
        var receiving = ReceiveAllAsync(cancellationToken);
        // Waits (turns, pacing) end on either token; sends only on cancellation (cancelling a send aborts the socket).
        using var playing = stop.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop) : null;
        var waits = playing?.Token ?? cancellationToken;
        try
        {
            WebSocketMessage? close;
            try
            {
                (close, var counted) = await PlayAsync(recorded, turnTimeout, pace, substitute, waits, cancellationToken).ConfigureAwait(false);
                if (close is null && awaitPeerClose)
                {
                    await WaitForAsync(counted, waitForClose: true, turnTimeout, waits).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                StoppedEarly = true;
                close = new WebSocketMessage { From = _me, Kind = WebSocketMessageKind.Close, CloseCode = (int)WebSocketCloseStatus.EndpointUnavailable, CloseReason = "stopped early" };
            }

            await CloseOutputAsync(close, turnTimeout, cancellationToken).ConfigureAwait(false);

            // The other side answers the close with its own, which ends the receive loop.
            await receiving.WaitAsync(turnTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The other side dropped the session or never closed it: the session ends with what was seen.
        }
        finally
        {
            if (!receiving.IsCompleted || _socket.State != WebSocketState.Closed)
            {
                _socket.Abort();
            }

            await receiving.ConfigureAwait(false);
        }
    }

    /// <summary>Sends this side's recorded messages in turns; returns its recorded close (if it closed) and the other side's message count.</summary>
    private async Task<(WebSocketMessage? Close, int PeerMessages)> PlayAsync(
        ImmutableArray<WebSocketMessage> recorded,
        TimeSpan turnTimeout,
        Func<WebSocketMessage, CancellationToken, Task>? pace,
        Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? substitute,
        CancellationToken waits,
        CancellationToken cancellationToken)
    {
        var peerBefore = 0;
        var peerClosed = false;
        var releasedTurn = -1;
        foreach (var message in recorded)
        {
            waits.ThrowIfCancellationRequested();
            if (message.From != _me)
            {
                peerBefore += IsData(message) ? Units(message).Count : 0;
                peerClosed |= message.Kind == WebSocketMessageKind.Close;
                continue;
            }

            if (message.Kind is WebSocketMessageKind.Ping or WebSocketMessageKind.Pong)
            {
                continue;
            }

            if (message.Payload is { Truncated: true })
            {
                StoppedAtCutMessage = true;
                return (null, peerBefore);
            }

            // The rest of a turn released to a quiet peer goes out with it (each message would wait its own quiet second).
            var waited = peerBefore != releasedTurn ? await WaitForAsync(peerBefore, peerClosed, turnTimeout, waits, _quiet).ConfigureAwait(false) : Waited.Reached;
            if (waited == Waited.Ended)
            {
                return (null, peerBefore); // the other side ended the session
            }

            if (waited == Waited.Quiet)
            {
                releasedTurn = peerBefore;
            }

            if (pace is not null)
            {
                await pace(message, waits).ConfigureAwait(false);
            }

            waits.ThrowIfCancellationRequested();

            if (message.Kind == WebSocketMessageKind.Close)
            {
                return (message, peerBefore);
            }

            var payload = message.Payload?.Content ?? ReadOnlyMemory<byte>.Empty;
            if (substitute is not null && message.Kind == WebSocketMessageKind.Text && !payload.IsEmpty)
            {
                payload = substitute(payload);
            }

            // Listed before it goes out: the answer may arrive before the send completes.
            Add(message with
            {
                Offset = _time.GetElapsedTime(_start),
                Compressed = _compressed,
                Payload = payload.Equals(message.Payload?.Content ?? ReadOnlyMemory<byte>.Empty) ? message.Payload : ExchangeBody.FromBytes(payload, message.Payload?.MediaType),
            });
            var type = message.Kind == WebSocketMessageKind.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(turnTimeout); // a peer that stops reading must not hold the session
            await _socket.SendAsync(payload, type, WebSocketMessageFlags.EndOfMessage, bounded.Token).ConfigureAwait(false);
        }

        // The rest of the other side's recorded messages, and its close when it closed first.
        await WaitForAsync(peerBefore, peerClosed, turnTimeout, waits).ConfigureAwait(false);
        return (null, peerBefore);
    }

    /// <summary>How a wait for the other side ended.</summary>
    private enum Waited
    {
        /// <summary>The other side sent what was waited for, or the wait ran out.</summary>
        Reached,

        /// <summary>The other side went quiet: it waits for this side (not counted as a timeout, later waits still wait).</summary>
        Quiet,

        /// <summary>The session ended first.</summary>
        Ended,
    }

    /// <summary>
    /// Waits until the other side has sent <paramref name="count"/> data messages (and closed, when asked), within
    /// <paramref name="timeout"/>, or (given <paramref name="quiet"/>) until it went quiet that long. After one wait ran
    /// out, later ones do not wait.
    /// </summary>
    private async Task<Waited> WaitForAsync(int count, bool waitForClose, TimeSpan timeout, CancellationToken cancellationToken, TimeSpan quiet = default)
    {
        var began = _time.GetTimestamp();
        var deadline = began + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            Task progress;
            var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            lock (_gate)
            {
                if (quiet > TimeSpan.Zero && !waitForClose && !_ended && _received < count)
                {
                    // The other side went quiet: it waits for this side (not counted as a timeout, later waits still wait).
                    var silent = _time.GetElapsedTime(Math.Max(_lastPeerMessage, began));
                    if (silent >= quiet)
                    {
                        return Waited.Quiet;
                    }

                    left = left < quiet - silent ? left : quiet - silent;
                }

                if (_received >= count && (!waitForClose || _peerClosed))
                {
                    return Waited.Reached;
                }

                if (_ended)
                {
                    return Waited.Ended;
                }

                if (!_patient)
                {
                    return Waited.Reached;
                }

                progress = _progress.Task;
            }

            if (_time.GetElapsedTime(_time.GetTimestamp(), deadline) <= TimeSpan.Zero)
            {
                lock (_gate)
                {
                    _patient = false;
                }

                return Waited.Reached;
            }

            try
            {
                await progress.WaitAsync(left, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Re-checked above: the deadline has passed.
            }
        }
    }

    /// <summary>Sends this side's close (the recorded code and reason, if it sent one; else a normal closure), or answers the other side's.</summary>
    private async Task CloseOutputAsync(WebSocketMessage? recorded, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        var code = CloseCode(recorded?.CloseCode);
        var reason = CloseReason(recorded?.CloseReason);
        Add(new WebSocketMessage { From = _me, Kind = WebSocketMessageKind.Close, Offset = _time.GetElapsedTime(_start), CloseCode = (int)code, CloseReason = reason });
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        await _socket.CloseOutputAsync(code, reason, bounded.Token).ConfigureAwait(false);
    }

    /// <summary>Reads the other side's messages until it closes or the session is aborted.</summary>
    private async Task ReceiveAllAsync(CancellationToken cancellationToken)
    {
        var peer = _me == WebSocketPeer.Client ? WebSocketPeer.Server : WebSocketPeer.Client;
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var payload = new ArrayBufferWriter<byte>();
        long size = 0;

        // Units are counted on the bytes as they arrive, whatever the payload budget keeps (a cut payload still counts
        // each of its records, so turns stay right past the budget).
        var units = default(FramedJson.UnitCounter);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Add(new WebSocketMessage
                    {
                        From = peer,
                        Kind = WebSocketMessageKind.Close,
                        Offset = _time.GetElapsedTime(_start),
                        CloseCode = _socket.CloseStatus is { } status ? (int)status : null,
                        CloseReason = string.IsNullOrEmpty(_socket.CloseStatusDescription) ? null : _socket.CloseStatusDescription,
                    });
                    return;
                }

                size += result.Count;
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    units.Add(buffer.AsSpan(0, result.Count));
                }

                var keep = (int)Math.Min(result.Count, _budget);
                payload.Write(buffer.AsSpan(0, keep));
                _budget -= keep;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                Add(new WebSocketMessage
                {
                    From = peer,
                    Kind = result.MessageType == WebSocketMessageType.Text ? WebSocketMessageKind.Text : WebSocketMessageKind.Binary,
                    Offset = _time.GetElapsedTime(_start),
                    Compressed = _compressed,
                    Payload = size == 0 ? null : new ExchangeBody { Content = payload.WrittenSpan.ToArray(), Size = size, Truncated = size > payload.WrittenCount },
                },
                units.Count);
                payload.ResetWrittenCount();
                size = 0;
                units = default;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Aborted (shutdown, this side's session ended) or dropped by the other side: the session ends with what was seen.
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

    /// <summary>A recorded close code that may be sent (1004-1006 and 1015 are reserved for reporting, never sent), else a normal closure.</summary>
    private static WebSocketCloseStatus CloseCode(int? code) =>
        code is { } value and >= 1000 and <= 4999 and not (1004 or 1005 or 1006 or 1015) and not (>= 1016 and <= 2999)
            ? (WebSocketCloseStatus)value
            : WebSocketCloseStatus.NormalClosure;

    /// <summary>A close reason that fits a close frame (123 bytes of UTF-8, RFC 6455 section 5.5), cut at a character.</summary>
    private static string? CloseReason(string? reason)
    {
        if (string.IsNullOrEmpty(reason) || System.Text.Encoding.UTF8.GetByteCount(reason) <= 123)
        {
            return reason;
        }

        var length = reason.Length;
        while (System.Text.Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > 123 || (length > 0 && char.IsHighSurrogate(reason[length - 1])))
        {
            length--;
        }

        return reason[..length];
    }

    /// <summary>
    /// The units a data message counts for in turns and learning: each 0x1E-ended record of a record-separated text message
    /// (SignalR puts one or several records in a frame as they are ready, so frames differ from run to run while records do
    /// not), else the message itself (a cut payload counts once, as its whole).
    /// </summary>
    public static List<ReadOnlyMemory<byte>> Units(WebSocketMessage message) =>
        message is { Kind: WebSocketMessageKind.Text, Payload: { Truncated: false } payload }
            ? FramedJson.Units(payload.Content)
            : [message.Payload?.Content ?? ReadOnlyMemory<byte>.Empty];

    private static bool IsData(WebSocketMessage message) => message.Kind is WebSocketMessageKind.Text or WebSocketMessageKind.Binary;

    /// <param name="message">A message either side sent.</param>
    /// <param name="units">For the other side's data message, how many units it counts for in turns and learning.</param>
    private void Add(WebSocketMessage message, int units = 1)
    {
        lock (_gate)
        {
            if (_messages.Count < MaxMessages)
            {
                _messages.Add(message);
                _units.Add(units);
            }
            else
            {
                Dropped++;
            }

            if (message.From != _me)
            {
                _lastPeerMessage = _time.GetTimestamp();
                _received += IsData(message) ? units : 0;
                _peerClosed |= message.Kind == WebSocketMessageKind.Close;
            }
        }

        if (message.From != _me)
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
