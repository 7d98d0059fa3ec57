using System.Net.Sockets;

namespace Reprise.Replay.Http;

/// <summary>
/// One keep-alive HTTP/1.1 connection of the <see cref="RawHttpTransport"/>: a TCP socket (Nagle off)
/// and its response reader with a pooled receive buffer. Used by one request at a time.
/// </summary>
internal sealed class RawConnection : IResponseSource, IDisposable
{
    private readonly Socket _socket;
    private int _aborted;

    public RawConnection(Socket socket)
    {
        _socket = socket;
        Reader = new Http1ResponseReader(this);
    }

    public Http1ResponseReader Reader { get; }

    /// <summary>True once a response has completed on this connection (a failure before any reply may then be a stale keep-alive).</summary>
    public bool Reused { get; set; }

    public bool Aborted => Volatile.Read(ref _aborted) != 0;

    public ValueTask SendAsync(ReadOnlyMemory<byte> request)
    {
        // Usually the whole request goes in one synchronous send: no async state machine then.
        if (request.IsEmpty)
        {
            return default;
        }

        var first = _socket.SendAsync(request, SocketFlags.None);
        if (!first.IsCompletedSuccessfully)
        {
            return SendRestAsync(first, request);
        }

        var sent = first.Result; // read once: a completed ValueTask may be backed by a reusable source
        return sent == request.Length ? default : SendRestAsync(new ValueTask<int>(sent), request);
    }

    private async ValueTask SendRestAsync(ValueTask<int> first, ReadOnlyMemory<byte> request)
    {
        var sent = await first.ConfigureAwait(false);
        request = request[sent..];
        while (!request.IsEmpty)
        {
            sent = await _socket.SendAsync(request, SocketFlags.None).ConfigureAwait(false);
            request = request[sent..];
        }
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer) => _socket.ReceiveAsync(buffer, SocketFlags.None);

    /// <summary>When the connection last went idle (<see cref="Environment.TickCount64"/>).</summary>
    public long IdleSince { get; set; }

    /// <summary>
    /// True when an idle connection must not carry the next request: the server closed it (EOF is readable)
    /// or sent bytes nobody asked for. One poll without waiting, as SocketsHttpHandler checks before reuse;
    /// skipped for a connection idle under a second (servers close idle keep-alive connections after seconds,
    /// and under load a connection is reused at once, where the poll would be a system call per request)
    /// unless <paramref name="always"/>: a request with a body is never retried, so it is not sent on a connection
    /// the server closed right after its last answer without saying so (SOGo's sope server does).
    /// </summary>
    public bool IsStale(bool always = false)
    {
        try
        {
            return Aborted || ((always || Environment.TickCount64 - IdleSince >= 1000) && _socket.Poll(0, SelectMode.SelectRead));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>Closes the socket from another thread (timeout, shutdown): the pending operation fails; the owner then disposes.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            _socket.Dispose();
        }
    }

    /// <summary>Closes the socket and returns the receive buffer; only by the connection's current user.</summary>
    public void Dispose()
    {
        Abort();
        Reader.Dispose();
    }
}
