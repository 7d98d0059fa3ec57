using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Reprise.Core.Model;
using Reprise.Core.Text;
using Reprise.Mock.Chaos;
using Reprise.Mock.Matching;
using Reprise.Mock.Templating;
using Reprise.Proxy.Forwarding;

namespace Reprise.Mock.Serving;

/// <summary>
/// The hot path: shape the live request, look it up in the current index, apply chaos, write the
/// recorded response (templated and date-shifted only when the route asks for it).
/// </summary>
internal sealed class MockRequestHandler(MockServerState state, ILogger logger)
{
    private const int MaxBody = 16 * 1024 * 1024;
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var index = state.Index;
        string authority;
        if (state.Proxy is { } proxy && context.GetProxyTarget() is { } target)
        {
            // Forward-proxy listener: the origin the client meant is the host part of the key.
            authority = UrlParts.CanonicalAuthority(target.Authority, target.Scheme == "https");
            if (!index.KnowsAuthority(authority))
            {
                await proxy.UnrecordedAsync(context, target).ConfigureAwait(false);
                return;
            }
        }
        else
        {
            if (path.StartsWith("/_reprise/", StringComparison.Ordinal) && await ControlAsync(context, path).ConfigureAwait(false))
            {
                return;
            }

            authority = UrlParts.CanonicalAuthority(request.Host.Value, request.IsHttps);
        }

        byte[]? rented = null;
        try
        {
            var length = 0;
            // The server knows best (HTTP/2 and HTTP/3 stream bodies of any method without a
            // Content-Length); the header checks cover servers without the feature.
            var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
                ?? (request.ContentLength > 0 || (request.ContentLength is null && HttpMethods.IsPost(request.Method)) || request.Headers.ContainsKey(HeaderNames.TransferEncoding));
            if (canHaveBody && GrpcErrorAnswer.IsGrpc(request.ContentType) && index.StreamedRequestMessages(path) is { } messages)
            {
                // A stream whose recorded client kept its side open (etcd's Watch): matched on its first messages.
                (rented, length) = await ReadMessagesAsync(request.BodyReader, messages, context.RequestAborted).ConfigureAwait(false);
            }
            else if (canHaveBody)
            {
                (rented, length) = await ReadBodyAsync(request.BodyReader, context.RequestAborted).ConfigureAwait(false);
            }

            var body = RequestBodyCoding.Decoded(rented is null ? ReadOnlyMemory<byte>.Empty : rented.AsMemory(0, length), request.Headers.ContentEncoding.ToString());
            var redactor = index.Redacted ? state.Redactor : null;
            if (CreateLive(context, redactor, request.Method, authority, path, request.Headers["SOAPAction"].ToString() is { Length: > 0 } sa ? sa : null, body) is not { } live)
            {
                return;
            }

            var tokens = redactor as Reprise.Core.Pipeline.IRedactionTokens;
            var shape = index.AlignTokens(live.Shape, tokens);
            var match = index.Match(shape);
            if (match.Entry is null && HttpMethods.IsHead(request.Method))
            {
                // HEAD is GET without the body (RFC 9110 9.3.2): a recorded GET answers it, headers only. It only
                // looks: the GET's sequence stays where it is (with --reuse once a later GET must still be served).
                if (CreateLive(context, redactor, HttpMethods.Get, authority, path, null, body) is not { } asGet)
                {
                    return;
                }

                if (index.Peek(index.AlignTokens(asGet.Shape, tokens)) is { Entry: not null } getMatch)
                {
                    match = getMatch;
                }
            }

            var number = Interlocked.Increment(ref state.RequestNumber);
            if (match.Entry is not { } entry)
            {
                var url = redactor is null
                    ? $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}"
                    : $"{request.Scheme}://{request.Host}{index.WithholdQuery(live.Url)}";
                await MissAsync(context, index, shape, url, number).ConfigureAwait(false);
                return;
            }

            await ServeAsync(context, index, entry, match, body, index.WithholdQuery(live.Url), number).ConfigureAwait(false);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The live request as matched (through the recording's redactor, if any); null after answering 500 when the redactor fails.</summary>
    private LiveRequest? CreateLive(HttpContext context, Reprise.Core.Pipeline.IExchangeRedactor? redactor, string method, string authority, string path, string? soapAction, ReadOnlyMemory<byte> body)
    {
        var request = context.Request;
        try
        {
            return LiveRequest.Create(
                redactor, method, request.Scheme, authority, path, request.QueryString.Value ?? string.Empty, request.ContentType,
                soapAction, request.Headers["traceparent"].ToString(), body);
        }
#pragma warning disable CA1031 // a redactor failure must not surface the request (or a stack trace) anywhere: fail closed with one log line
        catch (Exception ex) when (redactor is not null && ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            MockLog.RedactionFailed(logger, request.Method, ex.GetType().Name);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return null;
        }
    }

    private async Task ServeAsync(HttpContext context, MockIndex index, MockEntry entry, MatchResult match, ReadOnlyMemory<byte> requestBody, string shownUrl, long number)
    {
        var chaos = entry.Rule.Chaos;
        var response = context.Response;
        var recorded = entry.Response;
        var action = (string?)null;
        var status = recorded.Status;
        if (chaos.RateLimit is { } limiter && !limiter.TryAcquire(out var retryAfter))
        {
            action = "rate-limit";
            status = StatusCodes.Status429TooManyRequests;
            response.StatusCode = status;
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            Journal(context, shownUrl, entry, match, status, number, action);
            return;
        }

        if (chaos.ResetRate > 0 && ChaosDice.Roll(state.Seed, number, 0) < chaos.ResetRate)
        {
            Journal(context, shownUrl, entry, match, 0, number, "reset");
            context.Abort();
            return;
        }

        if (chaos.TimeoutRate > 0 && ChaosDice.Roll(state.Seed, number, 1) < chaos.TimeoutRate)
        {
            Journal(context, shownUrl, entry, match, 0, number, "timeout");
            try
            {
                await Task.Delay(state.TimeoutCap, state.Time, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, which is what a timeout test wants.
            }

            context.Abort();
            return;
        }

        var delay = chaos.Latency switch
        {
            LatencyMode.Recorded => recorded.Duration,
            LatencyMode.Fixed => chaos.FixedLatency,
            _ => TimeSpan.Zero,
        };
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, state.Time, context.RequestAborted).ConfigureAwait(false);
        }

        if (chaos.ErrorRate > 0 && ChaosDice.Roll(state.Seed, number, 2) < chaos.ErrorRate)
        {
            status = chaos.ErrorStatus;
            response.StatusCode = status;
            response.ContentType = "application/json";
            Journal(context, shownUrl, entry, match, status, number, "error");
            await response.Body.WriteAsync("{\"error\":\"reprise mock: injected fault\"}"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (recorded.IsWebSocket)
        {
            Journal(context, shownUrl, entry, match, status, number, null);
            await WebSocketReplay.ServeAsync(context, recorded, state.Time, state.TimeoutCap).ConfigureAwait(false);
            return;
        }

        if (recorded.UpgradeProtocol is { } protocol)
        {
            Journal(context, shownUrl, entry, match, TunnelReplay.Accepts(context, protocol) ? status : StatusCodes.Status502BadGateway, number, null);
            await TunnelReplay.ServeAsync(context, recorded, protocol, state.Time, state.TimeoutCap).ConfigureAwait(false);
            return;
        }

        response.StatusCode = status;
        var rule = entry.Rule;
        var shifter = rule.ShiftDates ? new TimeShifter(state.Time.GetUtcNow() - index.RecordingStart, index.RecordingStart, ShiftedFormats) : null;
        var headers = response.Headers;
        var recordedDate = state.RecordedDate;
        foreach (var header in recorded.Headers)
        {
            if (!recordedDate && header.Name.Equals(HeaderNames.Date, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (header.Name.Equals(HeaderNames.AccessControlAllowOrigin, StringComparison.OrdinalIgnoreCase)
                && EchoedOrigin(header.Value, entry.Exchange.Request.Headers.Get("origin"), context.Request.Headers.Origin, index.OriginsEchoedBy(entry.Shape.Authority)) is { } origin)
            {
                headers.Append(header.Name, origin);
                continue;
            }

            if ((header.Name.Equals(HeaderNames.Location, StringComparison.OrdinalIgnoreCase) || header.Name.Equals(HeaderNames.ContentLocation, StringComparison.OrdinalIgnoreCase))
                && LiveLocation(header.Value, entry.Exchange.Request, context.Request.Scheme, context.Request.Host.Value) is { } location)
            {
                headers.Append(header.Name, location);
                continue;
            }

            headers.Append(header.Name, shifter is not null && IsDateHeader(header.Name) ? shifter.Shift(header.Value) : header.Value);
        }

        if (!recordedDate)
        {
            // A live server dates its answer now; a recorded date, days old, confuses caches and clock checks.
            headers.Date = state.Time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        }

        if (match.Tier is not MatchTier.Exact)
        {
            // A loose match serves another request's answer: say so, out of the way (clients ignore unknown headers).
            headers[MatchHeader] = MatchHeaderValue(match);
        }

        if (recorded.TruncatedValue is { } truncated)
        {
            // The recording kept only the head of this body: serve what is stored, with a length that matches
            // it, and say so (a client reading it as a whole file would otherwise be silently wrong).
            headers[RecordedResponse.TruncatedHeader] = truncated;
            if (recorded.ReportTruncationOnce())
            {
                // The recorded path, not the live one: of a redacted recording it holds tokens where the live request has raw values.
                MockLog.TruncatedBody(logger, context.Request.Method, UrlParts.Path(entry.Exchange.Request.Url).ToString(), recorded.Body.Length, recorded.RecordedSize);
            }
        }

        var body = recorded.Body;
        // The IPP answer gets the live request id written into it: bytes it edits, like a template's.
        var rewritesBody = shifter is not null || rule.Template is { HasBodyEdits: true } || IppRequestId.Applies(recorded.ContentType, context.Request.ContentType);
        if (recorded.ContentCoding is { } coding && (rewritesBody || !AcceptsCoding(context.Request.Headers.AcceptEncoding, coding)) && recorded.DecodedBody is { } plain)
        {
            // Recorded compressed for a client that asked for it; this client did not (curl without --compressed,
            // an HttpClient without decompression): a live server would answer identity, and so does the mock. A
            // template or date shift edits text, never compressed bytes: it gets the decoded body too.
            headers.Remove(HeaderNames.ContentEncoding);
            body = plain;
        }

        if (rule.Template is { } template || rule.ShiftDates)
        {
            var templateContext = new TemplateContext(context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? string.Empty, name => context.Request.Headers[name].ToString() is { Length: > 0 } v ? v : null, requestBody, state.Time.GetUtcNow());
            if (shifter is not null)
            {
                body = shifter.Shift(body);
            }

            if (rule.Template is { } t)
            {
                if (t.HasBodyEdits)
                {
                    body = t.ApplyBody(body, templateContext);
                }

                foreach (var (name, value) in t.Headers)
                {
                    headers[name] = value.Render(templateContext);
                }
            }
        }

        if (!headers.ContainsKey(HeaderNames.ContentEncoding))
        {
            // Never into compressed bytes (a --no-redact answer that did not decode is served as recorded).
            body = IppRequestId.Echo(body, headers[HeaderNames.ContentType].ToString(), requestBody, context.Request.ContentType);
        }
        Journal(context, shownUrl, entry, match, status, number, null);
        if (recorded.IsGrpc)
        {
            await WriteGrpcAsync(context, recorded, body, state.Time, state.TimeoutCap).ConfigureAwait(false);
            return;
        }

        if (status is < 200 or 204 or 304)
        {
            // These never carry a body (RFC 9110 6.4.1), yet a HAR can hold one: Firefox and Chrome keep the cached copy
            // in a 304's content.text. The server sent none, and Kestrel refuses to write one (a 204 became a 500).
            response.ContentLength = null;
            return;
        }

        if (recorded.OpenUntilClientCancels && !HttpMethods.IsHead(context.Request.Method))
        {
            // A server-sent-events stream the recorded client closed: its events, then open as the recorded server kept it.
            response.ContentLength = null;
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            await HoldOpenAsync(context, state.Time, state.TimeoutCap).ConfigureAwait(false);
            return;
        }

        // A recorded HEAD has no body but says how long the GET's would be: a client sizing a download reads that.
        response.ContentLength = body.Length == 0 && recorded.HeadContentLength is { } headLength && HttpMethods.IsHead(context.Request.Method) ? headLength : body.Length;
        if (body.Length > 0 && !HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A recorded <c>Location</c> naming the origin the recorded request was sent to (its <c>Host</c>: the recorder's listener,
    /// where <c>record</c> rewrote the upstream's redirects; or the upstream itself) names the mock's origin instead, as the live
    /// request reached it; null when it names another origin or is relative. Served as recorded, Redmine's login redirect
    /// sent the browser to the stopped recorder's port (<c>http://127.0.0.1:9300/my/page</c>), and every page after the
    /// login failed to load.
    /// </summary>
    internal static string? LiveLocation(string location, ExchangeRequest recorded, string liveScheme, string? liveHost)
    {
        var schemeEnd = location.IndexOf("://", StringComparison.Ordinal);
        if (liveHost is not { Length: > 0 } || schemeEnd <= 0
            || !(location.AsSpan(0, schemeEnd).Equals("http", StringComparison.OrdinalIgnoreCase) || location.AsSpan(0, schemeEnd).Equals("https", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = location.IndexOfAny(['/', '?', '#'], authorityStart);
        var authority = authorityEnd < 0 ? location[authorityStart..] : location[authorityStart..authorityEnd];
        if (authority.Length == 0 || authority.Contains('@', StringComparison.Ordinal) || string.Equals(authority, liveHost, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var recordedHost = recorded.Headers.Get("host") ?? recorded.Headers.Get(":authority");
        if (!string.Equals(authority, recordedHost, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(authority, UrlParts.Authority(recorded.Url).ToString(), StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return liveScheme + "://" + liveHost + (authorityEnd < 0 ? string.Empty : location[authorityEnd..]);
    }

    /// <summary>
    /// The live <c>Origin</c> when the recorded <c>Access-Control-Allow-Origin</c> echoed the recorded request's
    /// <c>Origin</c> and the recording shows the host echoing this very origin (<paramref name="echoed"/>: a server that
    /// allows a list of origins answers each with its own, and a CORS answer naming the recorded origin makes a browser
    /// on another allowed origin refuse the response). An origin the recording never saw allowed is not: a host that
    /// allows one fixed origin, or a few, also answers ACAO == Origin every time, and echoing any live Origin (even with
    /// credentials allowed) would let a "disallowed origin is refused" test pass wrongly. Null keeps the recorded value
    /// (<c>*</c>, a fixed origin, an origin not seen allowed, or a request without Origin).
    /// </summary>
    internal static string? EchoedOrigin(string allowed, string? recordedOrigin, string? liveOrigin, IReadOnlySet<string> echoed) =>
        liveOrigin is { Length: > 0 } && recordedOrigin is { Length: > 0 } && allowed != "*"
            && string.Equals(allowed.Trim(), recordedOrigin.Trim(), StringComparison.OrdinalIgnoreCase)
            && echoed.Contains(liveOrigin.Trim()) ? liveOrigin : null;

    /// <summary>
    /// A mock answers with timestamps, epochs and HTTP dates moved to now; calendar dates alone
    /// (birthdays, due dates) stay as recorded, since a sub-day offset would move them by a rounded day.
    /// </summary>
    internal const TimeShiftFormats ShiftedFormats = TimeShiftFormats.All & ~TimeShiftFormats.IsoDate;

    /// <summary>
    /// True when every coding of a recorded Content-Encoding (<c>gzip</c>, <c>br</c>, <c>gzip, br</c>) is in the request's
    /// Accept-Encoding with a non-zero q, or under <c>*</c> when it is not listed itself (<c>gzip;q=0, *</c> refuses gzip).
    /// No Accept-Encoding counts as identity only, as servers treat it. Runs per request: spans, no allocation.
    /// </summary>
    internal static bool AcceptsCoding(Microsoft.Extensions.Primitives.StringValues acceptEncoding, string contentEncoding)
    {
        var codings = contentEncoding.AsSpan();
        foreach (var range in codings.Split(','))
        {
            var coding = codings[range].Trim();
            if (coding.IsEmpty || coding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (Quality(acceptEncoding, coding) is not > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The q the Accept-Encoding gives <paramref name="coding"/>: its own entry's, else <c>*</c>'s, else null.</summary>
    private static double? Quality(Microsoft.Extensions.Primitives.StringValues acceptEncoding, ReadOnlySpan<char> coding)
    {
        double? any = null;
        foreach (var value in acceptEncoding)
        {
            var text = (value ?? string.Empty).AsSpan();
            foreach (var range in text.Split(','))
            {
                var item = text[range];
                var semi = item.IndexOf(';');
                var name = (semi < 0 ? item : item[..semi]).Trim();
                var q = semi < 0 ? 1 : QValue(item[(semi + 1)..]);
                if (name.Equals(coding, StringComparison.OrdinalIgnoreCase) || (IsGzip(name) && IsGzip(coding)))
                {
                    return q;
                }

                if (name is "*")
                {
                    any = q;
                }
            }
        }

        return any;

        static bool IsGzip(ReadOnlySpan<char> name) =>
            name.Equals("gzip", StringComparison.OrdinalIgnoreCase) || name.Equals("x-gzip", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The <c>q</c> parameter (1 when absent or unreadable).</summary>
    private static double QValue(ReadOnlySpan<char> parameters)
    {
        foreach (var range in parameters.Split(';'))
        {
            var parameter = parameters[range].Trim();
            var eq = parameter.IndexOf('=');
            if (eq > 0 && parameter[..eq].Trim().Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                return double.TryParse(parameter[(eq + 1)..].Trim(), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var q) ? q : 1;
            }
        }

        return 1;
    }

    /// <summary>The response headers whose value is an HTTP date of the response itself.</summary>
    private static bool IsDateHeader(string name) =>
        name.Equals("date", StringComparison.OrdinalIgnoreCase) || name.Equals("expires", StringComparison.OrdinalIgnoreCase) || name.Equals("last-modified", StringComparison.OrdinalIgnoreCase);

    /// <summary>The header naming a loose match (documented in docs/mock.md).</summary>
    internal const string MatchHeader = "X-Reprise-Match";

    internal static string MatchHeaderValue(MatchResult match) => match.Tier switch
    {
        MatchTier.Volatile => "volatile",
        MatchTier.Nearest => "nearest; score=" + Math.Round(match.Score, 2).ToString("0.##", CultureInfo.InvariantCulture),
        MatchTier.Exact => "exact",
        _ => "none",
    };

    /// <summary>Flushes what was written and holds the response open until the client ends it, or the cap passes (then it is reset).</summary>
    private static async Task HoldOpenAsync(HttpContext context, TimeProvider time, TimeSpan timeoutCap)
    {
        try
        {
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            await Task.Delay(timeoutCap, time, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // the client ended the call, as recorded
        }

        context.Abort();
    }

    private static async Task WriteGrpcAsync(HttpContext context, RecordedResponse recorded, ReadOnlyMemory<byte> body, TimeProvider time, TimeSpan timeoutCap)
    {
        var response = context.Response;
        if (body.Length > 0)
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }

        if (recorded.OpenUntilClientCancels)
        {
            // The recorded server kept the stream open until the client cancelled: so does the mock, instead of ending it
            // without a grpc-status, which a client reports as an error.
            await HoldOpenAsync(context, time, timeoutCap).ConfigureAwait(false);
            return;
        }

        if (response.SupportsTrailers())
        {
            foreach (var trailer in recorded.Trailers)
            {
                response.AppendTrailer(trailer.Name, trailer.Value);
            }
        }
    }

    private async Task MissAsync(HttpContext context, MockIndex index, RequestShape shape, string url, long number)
    {
        var request = context.Request;
        var nearest = new List<MissCandidate>();
        foreach (var near in index.Explain(index.KnowsAuthority(shape.Authority) ? shape : shape.WithoutAuthority()))
        {
            nearest.Add(new MissCandidate(near.Entry.Exchange.Id, near.Entry.Target, near.Score, near.Differences));
        }

        var status = state.MissStatus;
        var grpc = GrpcErrorAnswer.IsGrpc(request.ContentType);
        // A gRPC miss is answered 200 with a trailers-only grpc-status (below): the journal says what was answered.
        var record = new ServedRequest
        {
            Number = number,
            At = state.Time.GetUtcNow(),
            Method = request.Method,
            Url = url,
            Status = grpc ? StatusCodes.Status200OK : status,
            GrpcStatus = grpc ? GrpcErrorAnswer.FromHttpStatus(status) : null,
            Match = "none",
            Nearest = nearest,
        };
        state.Journal.AddMiss(record);
        MockLog.Miss(logger, request.Method, url);
        if (grpc)
        {
            // A gRPC client reads grpc-status, not a JSON body: the status it would derive from the miss status (404:
            // UNIMPLEMENTED), trailers-only, with the reason and the nearest recorded call.
            var reason = nearest.Count > 0 ? $"; nearest recorded: {nearest[0].Request}" : string.Empty;
            await GrpcErrorAnswer.WriteAsync(context, GrpcErrorAnswer.FromHttpStatus(status), $"reprise mock: no recorded exchange matches this request ({request.Method} {url}){reason}").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var payload = new MissBody("reprise mock: no recorded exchange matches this request", request.Method, url, nearest);
        await JsonSerializer.SerializeAsync(context.Response.Body, payload, JsonOptions, context.RequestAborted).ConfigureAwait(false);
    }

    private void Journal(HttpContext context, string shownUrl, MockEntry entry, MatchResult match, int status, long number, string? chaos)
    {
        var request = context.Request;
        state.Journal.Add(new ServedRequest
        {
            Number = number,
            At = state.Time.GetUtcNow(),
            Method = request.Method,
            Url = shownUrl,
            Status = status,
            Match = match.Tier switch { MatchTier.Exact => "exact", MatchTier.Volatile => "volatile", MatchTier.Nearest => "nearest", _ => "none" },
            ServedFrom = entry.Exchange.Id,
            GrpcStatus = chaos is null && entry.Response.IsGrpc ? entry.Response.GrpcStatus : null,
            Chaos = chaos,
        });
        if (chaos is not null)
        {
            MockLog.Chaos(logger, chaos, request.Method, shownUrl);
        }
    }

    private async Task<bool> ControlAsync(HttpContext context, string path)
    {
        var response = context.Response;
        switch (path)
        {
            case "/_reprise/health":
                response.ContentType = "application/json";
                await response.WriteAsync($"{{\"status\":\"ok\",\"exchanges\":{state.Index.Entries.Count}}}", context.RequestAborted).ConfigureAwait(false);
                return true;
            case "/_reprise/mock/requests":
                response.ContentType = "application/json";
                var payload = new RequestsBody(state.Journal.ServedCount, state.Journal.MissCount, state.Journal.Recent());
                await JsonSerializer.SerializeAsync(response.Body, payload, JsonOptions, context.RequestAborted).ConfigureAwait(false);
                return true;
            case "/_reprise/mock/reset" when HttpMethods.IsPost(context.Request.Method):
                state.Index.ResetSequences();
                response.StatusCode = StatusCodes.Status204NoContent;
                return true;
            default:
                return false;
        }
    }

    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var length = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var sequence = result.Buffer;
                if (length + sequence.Length > MaxBody)
                {
                    throw new BadHttpRequestException("request body too large for the mock", StatusCodes.Status413PayloadTooLarge);
                }

                if (length + sequence.Length > buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Max(buffer.Length * 2, length + sequence.Length));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                sequence.CopyTo(buffer.AsSpan(length));
                length += (int)sequence.Length;
                reader.AdvanceTo(sequence.End);
                if (result.IsCompleted)
                {
                    return (buffer, length);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// Reads a gRPC request body until <paramref name="messages"/> whole length-prefixed messages arrived (or it ended):
    /// the bytes of those messages. The rest of the stream is left unread (the client may keep sending).
    /// </summary>
    private static async Task<(byte[]? Buffer, int Length)> ReadMessagesAsync(PipeReader reader, int messages, CancellationToken cancellationToken)
    {
        if (messages == 0)
        {
            return (null, 0);
        }

        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var sequence = result.Buffer;
            var end = WholeMessagesEnd(sequence, messages);
            if (end < 0 && !result.IsCompleted)
            {
                if (sequence.Length > MaxBody)
                {
                    throw new BadHttpRequestException("request body too large for the mock", StatusCodes.Status413PayloadTooLarge);
                }

                reader.AdvanceTo(sequence.Start, sequence.End); // nothing consumed: wait for more
                continue;
            }

            var take = end < 0 ? sequence : sequence.Slice(0, end);
            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(1, take.Length));
            take.CopyTo(buffer);
            reader.AdvanceTo(take.End);
            return (buffer, (int)take.Length);
        }
    }

    /// <summary>The length of the first <paramref name="messages"/> whole gRPC messages in <paramref name="sequence"/>, or -1 when they have not all arrived.</summary>
    private static long WholeMessagesEnd(ReadOnlySequence<byte> sequence, int messages)
    {
        long at = 0;
        Span<byte> prefix = stackalloc byte[5];
        for (var i = 0; i < messages; i++)
        {
            if (sequence.Length - at < 5)
            {
                return -1;
            }

            sequence.Slice(at, 5).CopyTo(prefix);
            var length = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
            if (sequence.Length - at - 5 < length)
            {
                return -1;
            }

            at += 5 + length;
        }

        return at;
    }

    private sealed record MissBody(string Error, string Method, string Url, IReadOnlyList<MissCandidate> Nearest);

    private sealed record RequestsBody(long Served, long Misses, IReadOnlyList<ServedRequest> Requests);
}
