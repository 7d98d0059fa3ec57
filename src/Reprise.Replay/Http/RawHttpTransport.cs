using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Reprise.Core.Model;

namespace Reprise.Replay.Http;

/// <summary>
/// A purpose-built HTTP/1.1 client for replaying to a plain-http target: keep-alive connections (one per
/// concurrent request, so one per virtual user), each template's request serialised to bytes once, the
/// response parsed in place by <see cref="Http1ResponseReader"/> and materialised only when results are kept.
/// Results and error classification match <see cref="HttpClientTransport"/>; a request whose bytes cannot be
/// produced identically (see <see cref="RawRequestSerializer"/>) or that leaves the target goes through it.
/// A reused connection that fails before any response byte (closed by the server while idle) is retried once
/// on a fresh connection, like SocketsHttpHandler.
/// </summary>
internal sealed class RawHttpTransport : IReplayTransport, IDisposable
{
    private const string SendError = "An error occurred while sending the request.";
    private readonly ReplayOptions _options;
    private readonly IReplayTransport _fallback;
    private readonly string _host;
    private readonly int _port;
    private readonly EndPoint _endPoint;
    private readonly ConcurrentQueue<RawConnection> _idle = new();
    private readonly ConcurrentDictionary<RawConnection, byte> _open = new();
    private readonly SemaphoreSlim? _limit;
    private int _disposed;

    // Set once the target is seen closing a keep-alive connection within a second of answering on it, without a
    // Connection: close (SOGo's sope server closes after every answer): connections to it are not kept from then on,
    // as for a server that says Connection: close. Before, the next request raced the server's FIN: a request with a
    // body sent on the closed connection was reset and never retried (6 of 42 at --speed 5, QA round 15b).
    private int _closesUnannounced;

    public RawHttpTransport(ReplayOptions options, IReplayTransport fallback)
    {
        _options = options;
        _fallback = fallback;
        _host = options.Target.IdnHost;
        _port = options.Target.Port;
        _endPoint = IPAddress.TryParse(options.Target.DnsSafeHost, out var address) ? new IPEndPoint(address, _port) : new DnsEndPoint(options.Target.DnsSafeHost, _port);

        // Closed model: concurrency is the VU count. Open model: bound connections as SocketsHttpHandler's pool is.
        if (options.Pacing != Pacing.PacingMode.Vus)
        {
            var connections = Math.Max(64, Math.Min(options.MaxInFlight, 1024));
            _limit = new SemaphoreSlim(connections, connections);
        }
    }

    /// <summary>True when a run may use this transport: a plain-http target and no injected handler.</summary>
    public static bool Supports(ReplayOptions options) => options.Handler is null && options.Target.Scheme == Uri.UriSchemeHttp;

    public Task SendAsync(RequestTemplate template, OutgoingRequest? outgoing, string? bearer, bool keepBody, SendOutcome outcome, TransportLane? lane, CancellationToken timeout)
    {
        byte[]? wire;
        if (!template.RawEligible)
        {
            wire = null;
        }
        else if (outgoing is null)
        {
            wire = template.GetWire(bearer);
        }
        else
        {
            using var message = template.CreateMessage(outgoing, bearer);
            var uri = message.RequestUri!;
            wire = uri.Scheme == Uri.UriSchemeHttp && uri.Port == _port && uri.IdnHost.Equals(_host, StringComparison.OrdinalIgnoreCase)
                ? RawRequestSerializer.Serialize(message, outgoing.Body)
                : null;
        }

        return wire is null
            ? _fallback.SendAsync(template, outgoing, bearer, keepBody, outcome, lane, timeout)
            : SendRawAsync(wire, template.IsHead, (outgoing?.Body ?? template.Body).IsEmpty, keepBody, outcome, lane, timeout);
    }

    /// <summary>
    /// Sends <paramref name="wire"/> and reads the response into <paramref name="outcome"/>; <paramref name="firstAttempt"/> 1 is the
    /// retry of a request whose first attempt failed on a stale keep-alive connection (<see cref="DirectRequest"/>): a fresh connection.
    /// </summary>
    internal async Task SendRawAsync(byte[] wire, bool headRequest, bool noBody, bool keepBody, SendOutcome outcome, TransportLane? lane, CancellationToken timeout, int firstAttempt = 0)
    {
        var inBody = false;
        var limited = false;
        try
        {
            if (_limit is not null)
            {
                await _limit.WaitAsync(timeout).ConfigureAwait(false);
                limited = true;
            }

            for (var attempt = firstAttempt; ; attempt++)
            {
                // The retry of a request that failed on a stale keep-alive connection always opens a fresh one:
                // after an idle timeout every pooled connection may be stale.
                var connection = (attempt == 0 ? TakeIdle(lane, !noBody) : null) ?? await ConnectAsync(timeout).ConfigureAwait(false);
                connection.Reader.BeginRequest();
                var reusable = false;
                var registration = timeout.UnsafeRegister(static state => ((RawConnection)state!).Abort(), connection);
                try
                {
                    await connection.SendAsync(wire).ConfigureAwait(false);
                    // The head is parsed and received here, not in an async method of the reader: a response that has
                    // not arrived yet then suspends this method alone, not one state machine per layer.
                    var reader = connection.Reader;
                    reader.BeginHead(headRequest, keepBody);
                    while (!reader.TryReadHead())
                    {
                        reader.CommitHeadBytes(await connection.ReceiveAsync(reader.ReceiveBuffer()).ConfigureAwait(false));
                    }

                    inBody = true;
                    outcome.Status = reader.Head.Status;
                    outcome.Version = "HTTP/1.1";
                    if (keepBody)
                    {
                        await KeepAsync(reader, outcome).ConfigureAwait(false);
                    }

                    await reader.DrainBodyAsync().ConfigureAwait(false);
                    // Bytes past the framed response (a body sent to HEAD, a short Content-Length) would be read as
                    // the next request's response: such a connection is closed, as SocketsHttpHandler does.
                    reusable = !reader.Head.Close && reader.BodyComplete && !reader.HasUnreadBytes;
                    return;
                }
                catch (Exception ex) when (IsStaleRetry(ex, attempt, noBody, inBody, connection, timeout))
                {
                    // A keep-alive connection the server closed while idle, before any response byte: send again on a
                    // fresh connection. Only requests without a body are retried (a POST the server may have acted on is not).
                }
                finally
                {
                    registration.Dispose();
                    EndUse(connection, reusable, lane, timeout);
                }
            }
        }
        catch (Exception ex) when (Classify(ex, inBody, timeout) is { } error)
        {
            outcome.Error = error;
        }
        finally
        {
            if (limited)
            {
                _limit!.Release();
            }
        }
    }

    /// <summary>
    /// True when a failed attempt is retried on a fresh connection: a keep-alive connection the server closed while idle,
    /// failing before any response byte, for a request without a body (a POST the server may have acted on is not retried).
    /// </summary>
    internal bool IsStaleRetry(Exception ex, int attempt, bool noBody, bool inBody, RawConnection connection, CancellationToken timeout)
    {
        var stale = attempt == 0 && !inBody && connection.Reused && connection.Reader.Received == 0
            && !timeout.IsCancellationRequested && Volatile.Read(ref _disposed) == 0 && ex is SocketException or HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded };
        if (stale)
        {
            NoteClosed(connection);
        }

        return stale && noBody;
    }

    /// <summary>The target closed <paramref name="connection"/> while it was idle: within a second of its last answer, it closes unannounced.</summary>
    private void NoteClosed(RawConnection connection)
    {
        if (Environment.TickCount64 - connection.IdleSince < 1000)
        {
            Volatile.Write(ref _closesUnannounced, 1);
        }
    }

    /// <summary>The request's error for a failed send or receive; null when the failure is not the target's (shutdown: rethrown).</summary>
    internal ExchangeError? Classify(Exception ex, bool inBody, CancellationToken timeout)
    {
        if (timeout.IsCancellationRequested)
        {
            return HttpClientTransport.TimeoutError(_options);
        }

        switch (ex)
        {
            case HttpRequestException request:
                return HttpClientTransport.Classify(request);
            case IOException io:
                return HttpClientTransport.ResetError(io);
            case SocketException socket when Volatile.Read(ref _disposed) == 0:
                // As SocketsHttpHandler reports a failing transport: before the head as a request error, in the body as an IOException.
                var wrapped = new IOException($"Unable to read data from the transport connection: {socket.Message}.", socket);
                return inBody ? HttpClientTransport.ResetError(wrapped) : HttpClientTransport.Classify(new HttpRequestException(HttpRequestError.Unknown, SendError, wrapped));
            default:
                return null;
        }
    }

    /// <summary>A request on <paramref name="connection"/> is over: the connection goes back to the lane (or pool) when reusable, else it is closed.</summary>
    internal void EndUse(RawConnection connection, bool reusable, TransportLane? lane, CancellationToken timeout)
    {
        if (reusable && !timeout.IsCancellationRequested && !connection.Aborted && Volatile.Read(ref _closesUnannounced) == 0)
        {
            connection.Reused = true;
            connection.IdleSince = Environment.TickCount64;
            Return(connection, lane);
        }
        else
        {
            Close(connection);
        }
    }

    /// <summary>
    /// The lane's own idle connection if it is still usable (stale ones are closed); null otherwise. The shared pool is not
    /// looked at. <paramref name="probe"/>: check it however briefly it was idle (a request with a body, never retried).
    /// </summary>
    internal RawConnection? TakeLaneConnection(TransportLane lane, bool probe = false)
    {
        if (lane.Connection is not { } own)
        {
            return null;
        }

        lane.Connection = null;
        if (!own.IsStale(probe))
        {
            return own;
        }

        NoteClosed(own);
        Close(own);
        return null;
    }

    private async Task KeepAsync(Http1ResponseReader reader, SendOutcome outcome)
    {
        var head = reader.Head;
        using var response = new HttpResponseMessage((HttpStatusCode)head.Status);
        if (head.Reason is not null)
        {
            response.ReasonPhrase = head.Reason;
        }

        outcome.Reason = response.ReasonPhrase;
        foreach (var header in head.Headers)
        {
            // Grouped and split between response and content headers exactly as SocketsHttpHandler stores them.
            if (!response.Headers.TryAddWithoutValidation(header.Name, header.Value))
            {
                response.Content.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }

        var encoding = ContentDecoding.Apply(response.Content.Headers);
        outcome.Headers = HttpClientTransport.Headers(response);
        outcome.MediaType = response.Content.Headers.ContentType?.ToString();
        Stream body = new ResponseBodyStream(reader);
        if (encoding is not null)
        {
            body = await ContentDecoding.OpenAsync(body, encoding).ConfigureAwait(false);
        }

        await using (body.ConfigureAwait(false))
        {
            await BodyCollector.ReadAsync(body, outcome, keep: true, _options.BodyCap, 0, events: false, CancellationToken.None).ConfigureAwait(false);
        }

        await reader.DrainBodyAsync().ConfigureAwait(false);
        foreach (var trailer in head.Trailers)
        {
            response.TrailingHeaders.TryAddWithoutValidation(trailer.Name, trailer.Value);
        }

        outcome.Trailers = HttpClientTransport.Trailers(response);
    }

    private RawConnection? TakeIdle(TransportLane? lane, bool probe)
    {
        if (lane is not null && TakeLaneConnection(lane, probe) is { } own)
        {
            return own;
        }

        while (_idle.TryDequeue(out var connection))
        {
            if (!connection.IsStale(probe))
            {
                return connection;
            }

            NoteClosed(connection);
            Close(connection);
        }

        return null;
    }

    private void Return(RawConnection connection, TransportLane? lane)
    {
        if (lane is not null && Volatile.Read(ref _disposed) == 0)
        {
            lane.Connection = connection;
            return;
        }

        _idle.Enqueue(connection);
        if (Volatile.Read(ref _disposed) != 0 && _idle.TryDequeue(out var late))
        {
            Close(late);
        }
    }

    /// <summary>The lane's requests are over: its connection goes back to the shared idle pool (or is closed after shutdown).</summary>
    public void EndLane(TransportLane lane)
    {
        if (lane.Connection is { } connection)
        {
            lane.Connection = null;
            Return(connection, null);
        }
    }

    private void Close(RawConnection connection)
    {
        _open.TryRemove(connection, out _);
        connection.Dispose();
    }

    private async Task<RawConnection> ConnectAsync(CancellationToken timeout)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(timeout);
        connectTimeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(_endPoint, connectTimeout.Token).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"{ex.Message} ({_host}:{_port})", ex);
        }
        catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
        {
            socket.Dispose();
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"no connection to {_host}:{_port} within {_options.ConnectTimeout.TotalSeconds:0.###}s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new RawConnection(socket);
        _open.TryAdd(connection, 0);
        if (Volatile.Read(ref _disposed) != 0)
        {
            Close(connection);
            throw new ObjectDisposedException(nameof(RawHttpTransport));
        }

        return connection;
    }

    /// <summary>Aborts every connection (shutdown): in-flight requests fail and are not results; idle ones are closed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var connection in _open.Keys)
        {
            connection.Abort();
        }

        while (_idle.TryDequeue(out var idle))
        {
            Close(idle);
        }
    }
}
