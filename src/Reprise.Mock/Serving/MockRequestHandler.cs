using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
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
            authority = MockIndex.NormalizeAuthority(target.Authority, target.Scheme == "https");
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

            authority = MockIndex.NormalizeAuthority(request.Host.Value ?? string.Empty, request.IsHttps);
        }

        byte[]? rented = null;
        try
        {
            var length = 0;
            // The server knows best (HTTP/2 and HTTP/3 stream bodies of any method without a
            // Content-Length); the header checks cover servers without the feature.
            var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
                ?? (request.ContentLength > 0 || (request.ContentLength is null && HttpMethods.IsPost(request.Method)) || request.Headers.ContainsKey(HeaderNames.TransferEncoding));
            if (canHaveBody)
            {
                (rented, length) = await ReadBodyAsync(request.BodyReader, context.RequestAborted).ConfigureAwait(false);
            }

            var body = rented is null ? ReadOnlyMemory<byte>.Empty : rented.AsMemory(0, length);
            var query = request.QueryString.Value is { Length: > 1 } q ? q.AsSpan(1) : [];
            var shape = RequestShaper.Shape(request.Method, authority, path, query, request.ContentType, request.Headers["SOAPAction"].ToString() is { Length: > 0 } sa ? sa : null, request.Headers["traceparent"].ToString(), body.Span);
            var match = index.Match(shape);
            var number = Interlocked.Increment(ref state.RequestNumber);
            if (match.Entry is not { } entry)
            {
                await MissAsync(context, index, shape, number).ConfigureAwait(false);
                return;
            }

            await ServeAsync(context, index, entry, match, body, number).ConfigureAwait(false);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private async Task ServeAsync(HttpContext context, MockIndex index, MockEntry entry, MatchResult match, ReadOnlyMemory<byte> requestBody, long number)
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
            Journal(context, entry, match, status, number, action);
            return;
        }

        if (chaos.ResetRate > 0 && ChaosDice.Roll(state.Seed, number, 0) < chaos.ResetRate)
        {
            Journal(context, entry, match, 0, number, "reset");
            context.Abort();
            return;
        }

        if (chaos.TimeoutRate > 0 && ChaosDice.Roll(state.Seed, number, 1) < chaos.TimeoutRate)
        {
            Journal(context, entry, match, 0, number, "timeout");
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
            Journal(context, entry, match, status, number, "error");
            await response.Body.WriteAsync("{\"error\":\"reprise mock: injected fault\"}"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (recorded.IsWebSocket)
        {
            Journal(context, entry, match, status, number, null);
            await WebSocketReplay.ServeAsync(context, recorded, state.Time, state.TimeoutCap).ConfigureAwait(false);
            return;
        }

        response.StatusCode = status;
        var rule = entry.Rule;
        var shift = rule.ShiftDates ? state.Time.GetUtcNow() - index.RecordingStart : TimeSpan.Zero;
        var headers = response.Headers;
        foreach (var header in recorded.Headers)
        {
            headers.Append(header.Name, rule.ShiftDates && DateShifter.IsDateHeader(header.Name) ? DateShifter.ShiftHeader(header.Value, shift) : header.Value);
        }

        if (recorded.TruncatedValue is { } truncated)
        {
            // The recording kept only the head of this body: serve what is stored, with a length that matches
            // it, and say so (a client reading it as a whole file would otherwise be silently wrong).
            headers[RecordedResponse.TruncatedHeader] = truncated;
            if (recorded.ReportTruncationOnce())
            {
                MockLog.TruncatedBody(logger, context.Request.Method, context.Request.Path.Value ?? "/", recorded.Body.Length, recorded.RecordedSize);
            }
        }

        var body = recorded.Body;
        if (rule.Template is { } template || rule.ShiftDates)
        {
            var templateContext = new TemplateContext(context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? string.Empty, name => context.Request.Headers[name].ToString() is { Length: > 0 } v ? v : null, requestBody, state.Time.GetUtcNow());
            if (rule.ShiftDates)
            {
                body = DateShifter.ShiftBody(body, shift);
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

        Journal(context, entry, match, status, number, null);
        if (recorded.IsGrpc)
        {
            await WriteGrpcAsync(context, recorded, body).ConfigureAwait(false);
            return;
        }

        response.ContentLength = body.Length;
        if (body.Length > 0 && !HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task WriteGrpcAsync(HttpContext context, RecordedResponse recorded, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        if (body.Length > 0)
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }

        if (response.SupportsTrailers())
        {
            foreach (var trailer in recorded.Trailers)
            {
                response.AppendTrailer(trailer.Name, trailer.Value);
            }
        }
    }

    private async Task MissAsync(HttpContext context, MockIndex index, RequestShape shape, long number)
    {
        var request = context.Request;
        var url = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";
        var nearest = new List<MissCandidate>();
        foreach (var near in index.Explain(index.KnowsAuthority(shape.Authority) ? shape : shape.WithoutAuthority()))
        {
            nearest.Add(new MissCandidate(near.Entry.Exchange.Id, near.Entry.Target, near.Score, near.Differences));
        }

        var status = state.MissStatus;
        var record = new ServedRequest { Number = number, At = state.Time.GetUtcNow(), Method = request.Method, Url = url, Status = status, Match = "none", Nearest = nearest };
        state.Journal.AddMiss(record);
        MockLog.Miss(logger, request.Method, url);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var payload = new MissBody("reprise mock: no recorded exchange matches this request", request.Method, url, nearest);
        await JsonSerializer.SerializeAsync(context.Response.Body, payload, JsonOptions, context.RequestAborted).ConfigureAwait(false);
    }

    private void Journal(HttpContext context, MockEntry entry, MatchResult match, int status, long number, string? chaos)
    {
        var request = context.Request;
        state.Journal.Add(new ServedRequest
        {
            Number = number,
            At = state.Time.GetUtcNow(),
            Method = request.Method,
            Url = string.Concat(request.Path.Value, request.QueryString.Value),
            Status = status,
            Match = match.Tier switch { MatchTier.Exact => "exact", MatchTier.Volatile => "volatile", MatchTier.Nearest => "nearest", _ => "none" },
            ServedFrom = entry.Exchange.Id,
            Chaos = chaos,
        });
        if (chaos is not null)
        {
            MockLog.Chaos(logger, chaos, request.Method, request.Path.Value ?? "/");
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

    private sealed record MissBody(string Error, string Method, string Url, IReadOnlyList<MissCandidate> Nearest);

    private sealed record RequestsBody(long Served, long Misses, IReadOnlyList<ServedRequest> Requests);
}
