namespace Reprise.Replay.Http;

/// <summary>
/// The first attempt of one raw HTTP/1.1 request on a lane's own keep-alive connection, driven step by step by the
/// caller's async method (a virtual user's loop), so a response still on its way suspends that one state machine
/// instead of three (the user's, the executor's and the transport's), with no task allocated per request. The steps
/// are <see cref="RawHttpTransport.SendRawAsync"/>'s first attempt with the same parser, framing checks, connection
/// reuse rule and error classification (shared methods of the transport); a failure that transport would retry on a
/// fresh connection is retried through it (<see cref="RawHttpTransport.SendRawAsync"/> from attempt 1). Only for
/// responses whose body is not kept. One per virtual user, reused; not thread-safe. The registration that lets the
/// request timeout abort the connection is kept across the user's requests while connection and timeout source stay.
/// </summary>
internal sealed class DirectRequest
{
    private RawHttpTransport? _transport;
    private RawConnection? _connection;
    private CancellationTokenRegistration _registration;
    private RawConnection? _registeredConnection;
    private Engine.RequestTimeouts.Slot? _registeredSlot;
    private int _registeredGeneration;
    private TransportLane? _lane;
    private CancellationToken _timeout;
    private bool _reusable;

    /// <summary>The template's direct-path data (its bytes, stats, framing facts).</summary>
    public DirectPlan Plan { get; private set; }

    /// <summary>True once the response head was read (a later failure is in the body).</summary>
    public bool InBody { get; private set; }

    /// <summary>The final response's status (after <see cref="TryReadHead"/> returned true).</summary>
    public int Status { get; private set; }

    /// <summary>What failed the attempt; null when it succeeded.</summary>
    public Exception? Fault { get; set; }

    private Http1ResponseReader Reader => _connection!.Reader;

    /// <summary>
    /// Takes the lane's idle connection and sends the plan's bytes on it; false (nothing sent, nothing taken)
    /// when the lane has no usable connection, and the request then goes the general way (which connects).
    /// </summary>
    public bool TryBegin(RawHttpTransport transport, TransportLane lane, DirectPlan plan, Engine.RequestTimeouts.Slot slot, out ValueTask send)
    {
        send = default;
        if (transport.TakeLaneConnection(lane, !plan.NoBody) is not { } connection)
        {
            Release();
            return false;
        }

        var timeout = slot.Token;
        (_transport, _connection, _lane, _timeout, Plan) = (transport, connection, lane, timeout, plan);
        (_reusable, InBody, Status, Fault) = (false, false, 0, null);
        connection.Reader.BeginRequest();
        if (!ReferenceEquals(_registeredConnection, connection) || !ReferenceEquals(_registeredSlot, slot) || _registeredGeneration != slot.Generation)
        {
            // The timeout aborts the connection. The registration stays while the user's requests keep the same
            // connection and timeout source (an idle slot never fires), instead of one registration per request.
            _registration.Dispose();
            _registration = timeout.UnsafeRegister(static state => ((RawConnection)state!).Abort(), connection);
            (_registeredConnection, _registeredSlot, _registeredGeneration) = (connection, slot, slot.Generation);
        }

        try
        {
            send = connection.SendAsync(plan.Wire);
        }
        catch (Exception ex)
        {
            send = ValueTask.FromException(ex); // thrown where the caller awaits the send, as in the transport
        }

        connection.Reader.BeginHead(plan.HeadRequest, materialize: false);
        return true;
    }

    /// <summary>Parses the response head from what was received; false when more bytes are needed (<see cref="ReceiveAsync"/>).</summary>
    public bool TryReadHead()
    {
        if (!Reader.TryReadHead())
        {
            return false;
        }

        InBody = true;
        Status = Reader.Head.Status;
        return true;
    }

    /// <summary>Receives more head bytes; pass the count to <see cref="CommitHeadBytes"/>.</summary>
    public ValueTask<int> ReceiveAsync() => _connection!.ReceiveAsync(Reader.ReceiveBuffer());

    public void CommitHeadBytes(int received) => Reader.CommitHeadBytes(received);

    /// <summary>True when the whole body is already in (the usual small response): no <see cref="DrainBodyAsync"/> needed.</summary>
    public bool BodyComplete => Reader.BodyComplete;

    /// <summary>Reads and drops the rest of the body.</summary>
    public ValueTask DrainBodyAsync() => Reader.DrainBodyAsync();

    /// <summary>The response was read: the connection may carry the next request if the response was framed exactly.</summary>
    public void Succeeded()
    {
        var reader = Reader;
        _reusable = !reader.Head.Close && reader.BodyComplete && !reader.HasUnreadBytes;
    }

    /// <summary>
    /// Ends the attempt: the connection goes back to the lane (or is closed). Returns true when the failure is one the
    /// transport retries on a fresh connection (<see cref="RawHttpTransport.IsStaleRetry"/>).
    /// </summary>
    public bool End()
    {
        var connection = _connection!;
        var retry = Fault is { } fault && _transport!.IsStaleRetry(fault, 0, Plan.NoBody, InBody, connection, _timeout);
        var reusable = _reusable && Fault is null;
        if (!reusable)
        {
            Release(); // the connection is closed: nothing to abort any more
        }

        _transport!.EndUse(connection, reusable, _lane, _timeout);
        _connection = null;
        return retry;
    }

    /// <summary>Drops the timeout registration kept across requests (the user leaves the direct path or ends).</summary>
    public void Release()
    {
        if (_registeredConnection is not null)
        {
            _registration.Dispose();
            _registration = default;
            (_registeredConnection, _registeredSlot) = (null, null);
        }
    }

    /// <summary>The attempt's error as the transport classifies it; null when the failure is not the target's (rethrow <see cref="Fault"/>).</summary>
    public Core.Model.ExchangeError? Classify() => _transport!.Classify(Fault!, InBody, _timeout);
}
