using System.Collections.Immutable;
using System.Net.Http;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Reprise.Capture.Bodies;
using Reprise.Capture.Recording;
using Reprise.Core.Model;
using Reprise.Core.Protocols;
using Reprise.Proxy.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace Reprise.Capture.Forwarding;

/// <summary>
/// Forwards one request with YARP's <see cref="IHttpForwarder"/> while copying the head of each body
/// (up to the cap) as it streams, then records the exchange. Inbound requests without
/// <c>traceparent</c> get one, so the dependency calls they cause can be linked to them.
/// </summary>
internal sealed class RecordingForwarder(IHttpForwarder forwarder, HttpMessageInvoker invoker, ExchangeRecorder recorder, TimeProvider timeProvider, TimeSpan activityTimeout, ILogger logger)
{
    /// <summary>Tag set when the recorder injected the traceparent header (the client sent none).</summary>
    public const string TraceInjectedTag = WellKnownTags.TraceInjected;

    // One "upstream failed" line per endpoint and message every 10 s: a client retrying against a dead upstream is one line.
    private readonly RepeatedWarnings _failures = new(timeProvider, TimeSpan.FromSeconds(10));

    /// <summary>
    /// Tag of an exchange whose response was relayed in full although the request body failed (the upstream answered before
    /// reading all of it and dropped the rest): its request body is partial. The value is the forwarder's error.
    /// </summary>
    public const string PartialRequestTag = "request.partial";

    /// <summary>Body note of an upgraded (WebSocket) exchange's request side.</summary>
    public const string WebSocketClientNote = "websocket frames (RFC 6455, masked) client to server";

    /// <summary>Body note of an upgraded (WebSocket) exchange's response side.</summary>
    public const string WebSocketServerNote = "websocket frames (RFC 6455) server to client";

    /// <summary>Start of the body notes of a connection upgraded to another protocol (e.g. <c>SPDY/3.1</c>): a tunnel stored raw.</summary>
    public const string RawUpgradeNotePrefix = "upgraded tunnel to ";

    private readonly ForwarderRequestConfig _http1 = new() { ActivityTimeout = activityTimeout, Version = System.Net.HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
    private readonly ForwarderRequestConfig _http2Cleartext = new() { ActivityTimeout = activityTimeout, Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
    private readonly ForwarderRequestConfig _http2Tls = new() { ActivityTimeout = activityTimeout, Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };

    /// <summary>Plain-http upstreams that refused h2c prior knowledge: h2c clients' requests go to them as HTTP/1.1.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _http11Origins = new(StringComparer.Ordinal);

    /// <summary>Plain-http upstreams known to speak h2c in this run (one answered over it, or its preface answered SETTINGS): never resent as HTTP/1.1.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _http2Origins = new(StringComparer.Ordinal);

    /// <summary>How long the h2c preface probe of <see cref="NeverSpokeHttp2Async"/> may take; past it nothing is resent.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Forwards to <paramref name="origin"/> (scheme://authority) and records the exchange.</summary>
    public async Task ForwardAsync(HttpContext context, string origin, Direction direction, string? service)
    {
        var started = timeProvider.GetTimestamp();
        var startedAt = timeProvider.GetUtcNow();
        var request = context.Request;
        var config = HttpProtocol.IsHttp2(request.Protocol)
            ? origin.StartsWith("https:", StringComparison.Ordinal) ? _http2Tls
            : _http11Origins.ContainsKey(origin) && !IsGrpc(request.ContentType) ? _http1 : _http2Cleartext
            : _http1;

        string? traceId = null, parentId = null, spanId = null;
        var injected = false;
        if (TraceContext.TryParse(request.Headers.TraceParent, out var tid, out var pid))
        {
            traceId = tid;
            parentId = pid;
            spanId = TraceContext.NewSpanId();
        }
        else if (direction == Direction.Inbound)
        {
            traceId = TraceContext.NewTraceId();
            spanId = TraceContext.NewSpanId();
            request.Headers.TraceParent = TraceContext.Format(traceId, spanId);
            injected = true;
        }

        if (!recorder.ShouldCapture(request.Path))
        {
            var plainError = await forwarder.SendAsync(context, origin, invoker, config, CaptureTransformer.Plain).ConfigureAwait(false);
            if (plainError != ForwarderError.None)
            {
                await WriteErrorBodyAsync(context, origin, plainError).ConfigureAwait(false);
            }

            return;
        }

        // Its place in the recording: written in the order requests started, not the order their exchanges
        // were ready (the first one's redaction alone can take longer than the next few requests).
        var ticket = recorder.Begin();
        try
        {
            await ForwardCapturedAsync(context, origin, direction, service, config, started, startedAt, traceId, spanId, parentId, injected, ticket).ConfigureAwait(false);
        }
        catch
        {
            recorder.Abandon(ticket);
            throw;
        }
    }

    private async Task ForwardCapturedAsync(HttpContext context, string origin, Direction direction, string? service, ForwarderRequestConfig config, long started, DateTimeOffset startedAt, string? traceId, string? spanId, string? parentId, bool injected, CaptureTicket ticket)
    {
        var request = context.Request;
        var maxBody = recorder.Options.MaxBody;
        using var requestBody = new BodyCapture(maxBody);
        using var responseBody = new BodyCapture(maxBody);
        var originalBody = request.Body;
        var originalResponseFeature = context.Features.Get<IHttpResponseBodyFeature>()!;
        var originalUpgrade = context.Features.Get<IHttpUpgradeFeature>();
        TeeUpgradeFeature? upgrade = null;
        if (originalUpgrade is { IsUpgradableRequest: true })
        {
            upgrade = new TeeUpgradeFeature(originalUpgrade, requestBody, responseBody, context.Response, timeProvider, started);
            context.Features.Set<IHttpUpgradeFeature>(upgrade);
        }

        var timing = new CaptureTransformer(timeProvider);
        request.Body = new TeeReadStream(originalBody, requestBody);
        // Answered before the client can have the whole response: a request it sends with values from it waits for this
        // exchange's redaction (see ExchangeRecorder.RecordAsync).
        var tee = new TeeResponseBodyFeature(originalResponseFeature, responseBody, new LastWriteHook(context.Response, () => recorder.Answered(ticket)));
        context.Features.Set<IHttpResponseBodyFeature>(tee);
        ForwarderError error;
        string? partialRequest = null;
        var clientGone = false;
        try
        {
            error = await forwarder.SendAsync(context, origin, invoker, config, timing).ConfigureAwait(false);
            if (ReferenceEquals(config, _http2Cleartext) && timing.Answered != 0)
            {
                RememberHttp2(origin); // it answered over h2c: whatever fails later was seen by it, never resent
            }

            if (error is ForwarderError.Request or ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyDestination
                && ReferenceEquals(config, _http2Cleartext) && direction == Direction.Inbound && timing.Answered == 0
                && !context.Response.HasStarted && !IsGrpc(request.ContentType) && !_http2Origins.ContainsKey(origin)
                && IsResendable(requestBody, request.ContentLength)
                && await NeverSpokeHttp2Async(origin, context.GetForwarderErrorFeature()?.Exception, context.RequestAborted).ConfigureAwait(false))
            {
                // A client that speaks h2c to the reverse proxy chose HTTP/2 for its hop to Reprise; a plain-http upstream
                // (uvicorn, gunicorn, Express) rarely speaks it and refuses the connection preface (an HTTP/1.x answer to it,
                // a close, HTTP_1_1_REQUIRED). Only then, when the upstream cannot have seen the request as HTTP/2, nothing
                // reached the client and the request body is unread or held whole in the capture, the request goes again
                // as HTTP/1.1, and so do the next ones to this origin (gRPC, which exists only over HTTP/2, never falls back).
                if (requestBody.Size > 0)
                {
                    request.Body = new MemoryStream(requestBody.Stored.ToArray(), writable: false); // already captured: not teed again
                }

                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Features.Set<IForwarderErrorFeature?>(null);
                error = await forwarder.SendAsync(context, origin, invoker, _http1, timing).ConfigureAwait(false);
                if (error == ForwarderError.None && _http11Origins.Count < 1024)
                {
                    _http11Origins.TryAdd(origin, true);
                }
            }

            if (error is ForwarderError.RequestBodyClient or ForwarderError.RequestBodyDestination or ForwarderError.RequestBodyCanceled && timing.Completed)
            {
                // The whole response reached the client (YARP calls the trailers transform only after the response body
                // copied without error) before the request body failed: the upstream answered before it read the whole
                // request (a gRPC trailers-only status, an early 202, 401 or 413) and dropped the rest. That answer is the
                // exchange, tagged since its request body is partial. A response body that failed partway can also be
                // reported as a request-body failure, and then the client was reset: that stays an error.
                partialRequest = Describe(error, context.GetForwarderErrorFeature()?.Exception);
                error = ForwarderError.None;
            }

            if (timing.Answered == 0)
            {
                timing.Answered = timeProvider.GetTimestamp(); // failed: the upstream's share is the time until the failure
            }

            clientGone = error != ForwarderError.None && ClientWentAway(context, error);
            if (error != ForwarderError.None && !clientGone)
            {
                await WriteErrorBodyAsync(context, origin, error).ConfigureAwait(false);
            }
        }
        finally
        {
            recorder.Answered(ticket); // whatever reached the client did by now (a chunked or HTTP/2 response ends after this method)
            request.Body = originalBody;
            context.Features.Set(originalResponseFeature);
            if (upgrade is not null)
            {
                context.Features.Set(originalUpgrade);
            }
        }

        var elapsed = timeProvider.GetElapsedTime(started);
        var upstream = timing.Answered > timing.Sent ? timeProvider.GetElapsedTime(timing.Sent, timing.Answered) : TimeSpan.Zero;
        // A stream (server-sent events, an upgraded connection) runs as long as the two ends keep it open: the proxy's
        // share is the time until the request left for the upstream, not the minutes the stream lasted.
        var streamed = upgrade is { Upgraded: true } || IsEventStream(context.Response.ContentType);
        recorder.Stats.AddLatency(streamed && timing.Sent > 0 ? timeProvider.GetElapsedTime(started, timing.Sent) : elapsed - upstream);

        // The target as the client sent it (see CaptureTransformer.ExactDestination): an encoded slash stays encoded.
        var url = !request.PathBase.HasValue && CaptureTransformer.RawPathAndQuery(context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget) is { } raw
            ? CaptureTransformer.Join(origin, raw)
            : string.Concat(origin, request.PathBase.ToString(), request.Path.ToString(), request.QueryString.ToString()); // the same text as origin + PathBase + Path + QueryString, one allocation
        var exchange = new Exchange
        {
            Id = ExchangeIds.NewId(startedAt),
            TraceId = traceId,
            SpanId = spanId,
            ParentId = parentId,
            Direction = direction,
            Service = service ?? UrlParts.Host(url),
            Protocol = ProtocolClassifier.FromVersion(request.Protocol),
            StartedAt = startedAt,
            Duration = elapsed,
            Request = new ExchangeRequest
            {
                Method = request.Method,
                Url = url,
                Version = request.Protocol,
                Headers = Headers(request.Headers),
                Body = Body(requestBody, request.ContentType, UpgradeNote(upgrade, WebSocketClientNote, "client to server")),
            },
            Response = clientGone && !context.Response.HasStarted ? null : ResponseOf(context, responseBody, error, UpgradeNote(upgrade, WebSocketServerNote, "server to client")),
            Error = ErrorOf(context, error, clientGone),
            Tags = upgrade?.WebSocket is { } webSocket ? webSocket.AddTags(Tags(context, direction, injected, partialRequest)) : Tags(context, direction, injected, partialRequest),
            Messages = upgrade?.WebSocket?.Messages() ?? [],
        };
        upgrade?.WebSocket?.Dispose();
        if (clientGone)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var safeTarget = SafeTarget(origin, request);
                CaptureLog.ClientCanceled(logger, request.Method, safeTarget, exchange.Error!.Message);
            }
        }
        else if (error != ForwarderError.None && logger.IsEnabled(LogLevel.Warning))
        {
            var safeTarget = SafeTarget(origin, request);
            var message = exchange.Error?.Message ?? string.Empty;
            if (_failures.ShouldLog(request.Method + " " + safeTarget + " " + message, out var suppressed))
            {
                if (suppressed > 0)
                {
                    CaptureLog.UpstreamFailedAgain(logger, request.Method, safeTarget, message, suppressed);
                }
                else
                {
                    CaptureLog.UpstreamFailed(logger, request.Method, safeTarget, message);
                }
            }
        }

        if (upgrade is not { Upgraded: true })
        {
            // The response ends here, not when this handler returns (a chunked body's last chunk, HTTP/2's end of stream, a
            // 204): recording below may wait for other exchanges' redaction, which must never hold up this client.
            await CompleteResponseAsync(context).ConfigureAwait(false);
        }

        await recorder.RecordAsync(exchange, ticket, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The request's origin and path template: never the raw URL, whose query and identifier segments may hold secrets (?api_key=...).</summary>
    private static string SafeTarget(string origin, HttpRequest request) =>
        origin + Reprise.Core.Analysis.PathTemplate.Of((request.PathBase + request.Path).ToString());

    /// <summary>
    /// Whether a failed forward failed because the downstream client went away (closed the connection, reset the stream,
    /// cancelled) rather than because of the upstream: the client's side of the copy failed, or the forward was cancelled
    /// with the client's request aborted. An upstream failure is never the client's doing, even when the request reads as
    /// aborted by then: after an upstream reset mid-body the forwarder aborts the client's connection itself.
    /// </summary>
    private static bool ClientWentAway(HttpContext context, ForwarderError error) =>
        error is ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient
        || (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
                or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled
            && context.RequestAborted.IsCancellationRequested);

    private static async Task CompleteResponseAsync(HttpContext context)
    {
        try
        {
            await context.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
            // The client went away or the server is stopping: the exchange is still recorded as it was seen.
        }
    }

    private static bool IsGrpc(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
        && !contentType.StartsWith("application/grpc-web", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the request body is unread or held whole in the capture (its Content-Length, not truncated).</summary>
    private static bool IsResendable(BodyCapture requestBody, long? contentLength) =>
        requestBody.Size == 0 || (contentLength == requestBody.Size && !requestBody.Truncated);

    private void RememberHttp2(string origin)
    {
        // ContainsKey first: Count takes every bucket lock, and this runs on every answered h2c request.
        if (!_http2Origins.ContainsKey(origin) && _http2Origins.Count < 1024)
        {
            _http2Origins.TryAdd(origin, true);
        }
    }

    /// <summary>
    /// Whether a failed h2c attempt shows that the upstream never spoke HTTP/2 on that connection, so it cannot have taken
    /// the request: the failure names HTTP_1_1_REQUIRED, or else a fresh connection's preface is not answered with the
    /// server's SETTINGS frame (an HTTP/1.x answer, a close). A connection that was never made (refused, unreachable), a
    /// server that answers SETTINGS (the stream was reset after it may have run: Go's h2c on a handler panic), or a probe
    /// that fails or times out all mean no retry.
    /// </summary>
    private async Task<bool> NeverSpokeHttp2Async(string origin, Exception? exception, CancellationToken cancellationToken)
    {
        if (FailureShowsHttp2Refusal(exception) is { } shown)
        {
            return shown;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            return false;
        }

        var speaksHttp2 = await ProbeHttp2Async(uri.IdnHost, uri.Port, cancellationToken).ConfigureAwait(false);
        if (speaksHttp2 != false)
        {
            if (speaksHttp2 == true)
            {
                RememberHttp2(origin);
            }

            return false;
        }

        return true;
    }

    /// <summary>
    /// What a failed h2c attempt's exception tells by itself: true when it names HTTP_1_1_REQUIRED (the upstream refused
    /// HTTP/2), false when the connection was never made (the upstream is down and saw nothing, so there is nothing to
    /// fall back from), null when only the preface probe can tell.
    /// </summary>
    internal static bool? FailureShowsHttp2Refusal(Exception? exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case System.Net.Sockets.SocketException socket when NeverConnected(socket):
                    return false; // refused, unreachable, unresolved: the connection was never made (the upstream is down)
                case HttpProtocolException { ErrorCode: Http11RequiredErrorCode }:
                    return true;
                case AggregateException { InnerExceptions.Count: > 1 } aggregate:
                    foreach (var one in aggregate.InnerExceptions)
                    {
                        if ((one as System.Net.Sockets.SocketException ?? one.InnerException as System.Net.Sockets.SocketException) is { } socket && NeverConnected(socket))
                        {
                            return false;
                        }
                    }

                    break;
            }
        }

        return null;
    }

    private const long Http11RequiredErrorCode = 0xd;

    /// <summary>
    /// Socket errors of a connection that was never made: the upstream saw nothing. Any other socket error is a made
    /// connection that broke, and an HTTP/1.x server refusing the preface breaks it in several ways depending on timing:
    /// a reset, or a broken pipe (<see cref="System.Net.Sockets.SocketError.Shutdown"/>) when the request was still being
    /// written after it closed. The probe tells those apart from an HTTP/2 server that failed.
    /// </summary>
    private static bool NeverConnected(System.Net.Sockets.SocketException socket) => socket.SocketErrorCode is
        System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostUnreachable or System.Net.Sockets.SocketError.NetworkUnreachable
        or System.Net.Sockets.SocketError.NetworkDown or System.Net.Sockets.SocketError.HostDown or System.Net.Sockets.SocketError.HostNotFound
        or System.Net.Sockets.SocketError.TryAgain or System.Net.Sockets.SocketError.NoData or System.Net.Sockets.SocketError.NoRecovery
        or System.Net.Sockets.SocketError.AddressNotAvailable or System.Net.Sockets.SocketError.TimedOut;

    /// <summary>The client connection preface followed by an empty SETTINGS frame (RFC 9113 section 3.4).</summary>
    private static readonly byte[] ClientPreface = [.. Reprise.Proxy.Connections.CleartextHttp2Feature.Preface, 0, 0, 0, 4, 0, 0, 0, 0, 0];

    /// <summary>
    /// Sends the h2c connection preface on a new connection and reads the first frame header: true when the server answers
    /// with its SETTINGS frame, false when it answers anything else or closes, null when that cannot be told (no connection,
    /// timeout). No request is sent.
    /// </summary>
    private async Task<bool?> ProbeHttp2Async(string host, int port, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
            await socket.SendAsync(ClientPreface, System.Net.Sockets.SocketFlags.None, linked.Token).ConfigureAwait(false);
            var head = new byte[9];
            var read = 0;
            while (read < head.Length)
            {
                var n = await socket.ReceiveAsync(head.AsMemory(read), System.Net.Sockets.SocketFlags.None, linked.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return false; // closed without a frame: not an HTTP/2 server
                }

                read += n;
            }

            // A frame header: 24-bit length, type 4 (SETTINGS), flags without ACK, stream 0.
            return head[3] == 4 && (head[4] & 1) == 0 && head[5] == 0 && head[6] == 0 && head[7] == 0 && head[8] == 0;
        }
        catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode is System.Net.Sockets.SocketError.ConnectionReset)
        {
            return false; // reset on the preface: not an HTTP/2 server
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException or IOException)
        {
            return null;
        }
    }

    private static bool IsEventStream(string? contentType) =>
        contentType is not null && contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);

    // The body note says what the bytes after the 101 are: decoded-able WebSocket frames, or an opaque tunnel of another protocol.
    private static string? UpgradeNote(TeeUpgradeFeature? upgrade, string webSocketNote, string direction) => upgrade switch
    {
        { Upgraded: false } or null => null,
        { WebSocket: not null } => webSocketNote,
        _ => $"{RawUpgradeNotePrefix}'{(upgrade.SwitchedTo is { Length: > 0 } to ? to : "unknown")}' (raw bytes, not decoded) {direction}",
    };

    private static ExchangeResponse? ResponseOf(HttpContext context, BodyCapture body, ForwarderError error, string? note)
    {
        var response = context.Response;
        if (error != ForwarderError.None && !response.HasStarted && response.StatusCode < 500)
        {
            return null;
        }

        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        return new ExchangeResponse
        {
            Status = response.StatusCode,
            Reason = context.Features.Get<IHttpResponseFeature>()?.ReasonPhrase,
            Version = context.Request.Protocol,
            Headers = Headers(response.Headers),
            Body = Body(body, response.ContentType, note),
            Trailers = trailers is null ? [] : Headers(trailers),
        };
    }

    private static ExchangeError? ErrorOf(HttpContext context, ForwarderError error, bool clientGone)
    {
        if (error == ForwarderError.None)
        {
            return null;
        }

        var exception = context.GetForwarderErrorFeature()?.Exception;
        if (clientGone)
        {
            // The client ended it (a page left, an EventSource or a gRPC stream closed): canceled, whatever side of the copy noticed.
            return new ExchangeError(ExchangeErrorKind.Canceled, "client ended the request: " + Describe(error, exception));
        }

        var kind = error switch
        {
            ForwarderError.Request when exception?.InnerException is System.Net.Sockets.SocketException => ExchangeErrorKind.Connect,
            ForwarderError.Request => ExchangeErrorKind.Connect,
            ForwarderError.RequestTimedOut => ExchangeErrorKind.Timeout,
            // A read from the upstream cancelled with the client still there: the activity timeout (an upstream silent mid-body).
            ForwarderError.ResponseBodyDestination or ForwarderError.UpgradeResponseDestination when IsCancellation(exception) => ExchangeErrorKind.Timeout,
            // Cancelled while the client is still there: YARP's activity timeout (no bytes from the upstream for that long).
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled => ExchangeErrorKind.Timeout,
            ForwarderError.ResponseBodyDestination or ForwarderError.RequestBodyDestination or ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination => ExchangeErrorKind.Reset,
            _ => ExchangeErrorKind.Other,
        };
        return new ExchangeError(kind, Describe(error, exception));
    }

    private static bool IsCancellation(Exception? exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is OperationCanceledException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(ForwarderError error, Exception? exception)
    {
        var inner = exception;
        UpstreamCertificateException? certificate = null;
        while (inner is not null)
        {
            certificate ??= inner as UpstreamCertificateException;
            if (inner.InnerException is null)
            {
                break;
            }

            inner = inner.InnerException;
        }

        // Trusting a CA helps only an unknown root (not a name mismatch, an expired certificate, or when --upstream-ca
        // was given); otherwise the message names the actual error.
        return certificate is not null
            ? certificate.TrustingACaWouldHelp
                ? $"{error}: {certificate.Message} (a self-signed or private CA? trust it with --upstream-ca FILE)"
                : $"{error}: {certificate.Message}"
            : inner is null ? error.ToString() : $"{error}: {inner.Message}";
    }

    private static async Task WriteErrorBodyAsync(HttpContext context, string origin, ForwarderError error)
    {
        var response = context.Response;
        if (response.HasStarted || response.StatusCode < 500)
        {
            return;
        }

        var detail = Describe(error, context.GetForwarderErrorFeature()?.Exception);
        var timedOut = response.StatusCode == StatusCodes.Status504GatewayTimeout;
        var message = timedOut
            ? $"reprise: upstream {origin} did not answer in time ({detail})\n"
            : $"reprise: upstream {origin} failed ({detail})\n";
        try
        {
            if (GrpcErrorAnswer.IsGrpc(context.Request.ContentType))
            {
                // A gRPC client reads errors from grpc-status, not from a 502's text: UNAVAILABLE (or DEADLINE_EXCEEDED)
                // with the reason, trailers-only. The exchange keeps its error and records this answer.
                await GrpcErrorAnswer.WriteAsync(context, timedOut ? GrpcErrorAnswer.DeadlineExceeded : GrpcErrorAnswer.Unavailable, message).ConfigureAwait(false);
                return;
            }

            response.ContentType = "text/plain; charset=utf-8";
            var bytes = Encoding.UTF8.GetBytes(message);
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client is gone too; the exchange is still recorded with its error.
        }
    }

    private static ImmutableArray<HeaderField> Headers(IHeaderDictionary headers)
    {
        var builder = ImmutableArray.CreateBuilder<HeaderField>(headers.Count);
        foreach (var (name, values) in headers)
        {
            if (values.Count == 1)
            {
                builder.Add(new HeaderField(name, values[0] ?? string.Empty));
                continue;
            }

            foreach (var value in (StringValues)values)
            {
                builder.Add(new HeaderField(name, value ?? string.Empty));
            }
        }

        return builder.DrainToImmutable();
    }

    private static ExchangeBody? Body(BodyCapture capture, string? mediaType, string? note) =>
        capture.Size == 0 ? null : new ExchangeBody { Content = capture.ToArray(), MediaType = mediaType, Size = capture.Size, Truncated = capture.Truncated, Note = note };

    /// <summary>Trace provenance, and for inbound requests the client address (replay groups sessions by it).</summary>
    private static System.Collections.Immutable.ImmutableSortedDictionary<string, string> Tags(HttpContext context, Direction direction, bool injected, string? partialRequest)
    {
        var tags = injected ? Exchange.EmptyTags.Add(TraceInjectedTag, "injected") : Exchange.EmptyTags;
        if (partialRequest is not null)
        {
            tags = tags.Add(PartialRequestTag, partialRequest);
        }

        if (direction != Direction.Inbound)
        {
            return tags;
        }

        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        var client = forwarded.Length > 0 ? forwarded.Split(',')[0].Trim() : context.Connection.RemoteIpAddress?.ToString();
        return string.IsNullOrEmpty(client) ? tags : tags.Add(WellKnownTags.ClientAddress, client);
    }
}
