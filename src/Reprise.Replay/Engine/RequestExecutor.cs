using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Reprise.Core.Model;
using Reprise.Replay.Correlation;
using Reprise.Replay.Http;
using Reprise.Replay.Results;
using Reprise.Replay.Variation;

namespace Reprise.Replay.Engine;

/// <summary>
/// Sends one request and records its outcome: builds the message from the template (adjusting it only
/// when correlation, copy variation or a token require), reads the response into a pooled buffer,
/// learns correlated values, writes the result and updates the per-endpoint histograms.
/// </summary>
internal sealed class RequestExecutor
{
    private const int InitialBuffer = 16 * 1024;
    private readonly ReplayOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpMessageInvoker _invoker;
    private readonly IReplayResultSink _sink;
    private readonly Correlator _correlator;
    private readonly SummaryAccumulator _summary;
    private readonly string[] _copyText;
    private readonly string _runId;
    private readonly string? _shard;
    private readonly System.Collections.Concurrent.ConcurrentQueue<CancellationTokenSource> _timeouts = new();
    private long _sequence;

    public RequestExecutor(ReplayOptions options, HttpMessageInvoker invoker, IReplayResultSink sink, Correlator correlator, SummaryAccumulator summary)
    {
        _options = options;
        _time = options.TimeProvider;
        _invoker = invoker;
        _sink = sink;
        _correlator = correlator;
        _summary = summary;
        _runId = options.RunId;
        _shard = options.Shard?.ToString();
        _copyText = new string[options.Multiplier];
        for (var i = 0; i < _copyText.Length; i++)
        {
            _copyText[i] = i.ToString(CultureInfo.InvariantCulture);
        }
    }

    public async Task ExecuteAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var template = item.Template;
        var session = item.Session;
        var learn = _correlator.Enabled && session.Grouped;
        try
        {
            string? bearer = _options.Token is { } tokens ? await tokens.GetAsync(cancellationToken).ConfigureAwait(false) : null;
            var outgoing = Prepare(template, session);
            for (var attempt = 0; ; attempt++)
            {
                var outcome = await SendAsync(template, outgoing, bearer, learn || _sink.KeepsResults, cancellationToken).ConfigureAwait(false);
                if (outcome.Status == 401 && _options.Token is { } refresh && attempt == 0)
                {
                    outcome.Release();
                    bearer = await refresh.RefreshAsync(bearer!, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    outcome.Release();
                    return; // aborted by shutdown: not a result of the target
                }

                try
                {
                    await CompleteAsync(item, outgoing, bearer, outcome, learn).ConfigureAwait(false);
                }
                finally
                {
                    outcome.Release();
                }

                return;
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: requests aborted or not sent are not results.
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Outcomes are values: a failure building or sending one request is that request's error, never the run's.
            var message = ex is TokenCommandException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            var outcome = new Outcome { Error = new ExchangeError(ExchangeErrorKind.Other, message), Start = _time.GetTimestamp(), End = _time.GetTimestamp(), SentAt = _time.GetUtcNow() };
            await CompleteAsync(item, null, null, outcome, learn: false).ConfigureAwait(false);
        }
    }

    private OutgoingRequest? Prepare(RequestTemplate template, ReplaySession session)
    {
        OutgoingRequest? outgoing = null;
        if (session.Correlation is { IsEmpty: false } correlation)
        {
            outgoing = template.ToOutgoing();
            _correlator.Apply(correlation, template, outgoing);
        }

        if (session.Copy > 0 && template.HasUniqueValues)
        {
            outgoing ??= template.ToOutgoing();
            var keep = session.Correlation?.NewValues;
            outgoing.Url = CopyVarier.Vary(outgoing.Url, session.Copy, keep);
            for (var i = 0; i < outgoing.Headers.Count; i++)
            {
                var header = outgoing.Headers[i];
                var varied = CopyVarier.IsUniqueHeader(header.Name) ? CopyVarier.VaryValue(header.Value, session.Copy) : header.Value;
                if (!ReferenceEquals(varied, header.Value))
                {
                    outgoing.Headers[i] = new HeaderField(header.Name, varied);
                }
            }

            if (!outgoing.Body.IsEmpty && System.Text.Unicode.Utf8.IsValid(outgoing.Body.Span))
            {
                var text = Encoding.UTF8.GetString(outgoing.Body.Span);
                var varied = CopyVarier.Vary(text, session.Copy, keep);
                if (!ReferenceEquals(varied, text))
                {
                    outgoing.Body = Encoding.UTF8.GetBytes(varied);
                }
            }
        }

        return outgoing;
    }

    private async Task<Outcome> SendAsync(RequestTemplate template, OutgoingRequest? outgoing, string? bearer, bool keepBody, CancellationToken cancellationToken)
    {
        var outcome = new Outcome { SentAt = _time.GetUtcNow(), Start = _time.GetTimestamp() };
        using var message = outgoing is null ? template.CreateMessage(bearer) : template.CreateMessage(outgoing, bearer);

        // Pooled, not linked: a linked source per request contends on the run token's callback list.
        // Shutdown aborts in-flight requests by disposing the client instead (Replayer).
        var timeout = RentTimeout();
        try
        {
            using var response = await _invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
            outcome.Status = (int)response.StatusCode;
            outcome.Reason = response.ReasonPhrase;
            outcome.Version = response.Version.Major == 2 ? "HTTP/2" : response.Version.Major == 3 ? "HTTP/3" : "HTTP/1.1";
            if (keepBody)
            {
                outcome.Headers = Headers(response);
                outcome.MediaType = response.Content.Headers.ContentType?.ToString();
            }

            await ReadBodyAsync(response, outcome, keepBody, timeout.Token).ConfigureAwait(false);
            if (keepBody && response.TrailingHeaders.Any())
            {
                var trailers = ImmutableArray.CreateBuilder<HeaderField>();
                foreach (var (name, values) in response.TrailingHeaders.NonValidated)
                {
                    foreach (var value in values)
                    {
                        trailers.Add(new HeaderField(name, value));
                    }
                }

                outcome.Trailers = trailers.ToImmutable();
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            outcome.Error = new ExchangeError(ExchangeErrorKind.Timeout, $"no complete response within {_options.RequestTimeout.TotalSeconds:0.###}s");
        }
        catch (HttpRequestException ex)
        {
            outcome.Error = Classify(ex);
        }
        catch (IOException ex)
        {
            outcome.Error = new ExchangeError(ExchangeErrorKind.Reset, "connection reset while reading the response: " + ex.Message);
        }
        finally
        {
            ReturnTimeout(timeout);
        }

        outcome.End = _time.GetTimestamp();
        return outcome;
    }

    private CancellationTokenSource RentTimeout()
    {
        if (!_timeouts.TryDequeue(out var cts))
        {
            cts = new CancellationTokenSource();
        }

        cts.CancelAfter(_options.RequestTimeout);
        return cts;
    }

    private void ReturnTimeout(CancellationTokenSource cts)
    {
        if (cts.TryReset())
        {
            _timeouts.Enqueue(cts);
        }
        else
        {
            cts.Dispose();
        }
    }

    private async Task ReadBodyAsync(HttpResponseMessage response, Outcome outcome, bool keep, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var cap = _options.BodyCap;
            var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
            outcome.Buffer = buffer;
            var length = 0;
            long total = 0;
            while (true)
            {
                Memory<byte> target;
                if (keep && length < cap)
                {
                    if (length == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(cap, buffer.Length * 2));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                        outcome.Buffer = buffer;
                    }

                    target = buffer.AsMemory(length, Math.Min(buffer.Length, cap) - length);
                }
                else
                {
                    // Past the cap (or not keeping): read into the tail of the buffer and drop it.
                    outcome.Scratch ??= ArrayPool<byte>.Shared.Rent(InitialBuffer);
                    target = keep ? outcome.Scratch : buffer;
                }

                var read = await stream.ReadAsync(target, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (keep && length < cap)
                {
                    length += read;
                }
            }

            outcome.Length = length;
            outcome.Size = total;
        }
    }

    private async ValueTask CompleteAsync(WorkItem item, OutgoingRequest? outgoing, string? bearer, Outcome outcome, bool learn)
    {
        var template = item.Template;
        var duration = _time.GetElapsedTime(outcome.Start, outcome.End);
        var delay = item.IntendedTimestamp == 0 ? TimeSpan.Zero : _time.GetElapsedTime(item.IntendedTimestamp, outcome.Start);
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        _summary.Record(template.Stats, outcome.Error is null ? outcome.Status : null, outcome.Error?.Kind, duration + delay);
        var body = outcome.Buffer is null ? ReadOnlySpan<byte>.Empty : outcome.Buffer.AsSpan(0, outcome.Length);
        if (learn && outcome.Error is null)
        {
            item.Session.Correlation ??= new SessionCorrelation();
            _correlator.Learn(item.Session.Correlation, template, outcome.Headers, body);
        }

        if (!_sink.KeepsResults)
        {
            return;
        }

        var recorded = template.Recorded;
        var tags = recorded.Tags.Remove(Core.Model.WellKnownTags.MockServedFrom)
            .SetItem(Core.Model.WellKnownTags.ReplayOf, recorded.Id)
            .SetItem(Core.Model.WellKnownTags.ReplayCopy, _copyText[item.Session.Copy])
            .SetItem(Core.Model.WellKnownTags.ReplayRun, _runId);
        if (_shard is not null)
        {
            tags = tags.SetItem(Core.Model.WellKnownTags.ReplayShard, _shard);
        }

        if (delay > TimeSpan.Zero)
        {
            tags = tags.SetItem(ReplayTags.DelayMicros, (delay.Ticks / 10).ToString(CultureInfo.InvariantCulture));
        }

        if (item.Loop > 0)
        {
            tags = tags.SetItem(ReplayTags.Loop, item.Loop.ToString(CultureInfo.InvariantCulture));
        }

        var result = new Exchange
        {
            Id = _runId + "-" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture),
            TraceId = recorded.TraceId,
            Direction = Direction.Inbound,
            Service = recorded.Service,
            Protocol = recorded.Protocol,
            StartedAt = outcome.SentAt,
            Duration = duration,
            Request = outgoing is null && bearer is null ? template.SentRequest : template.Describe(outgoing ?? template.ToOutgoing(), bearer),
            Response = outcome.Error is not null ? null : new ExchangeResponse
            {
                Status = outcome.Status,
                Reason = outcome.Reason,
                Version = outcome.Version ?? "HTTP/1.1",
                Headers = outcome.Headers,
                Trailers = outcome.Trailers,
                Body = outcome.Size == 0 ? null : new ExchangeBody
                {
                    Content = body.ToArray(),
                    MediaType = outcome.MediaType,
                    Size = outcome.Size,
                    Truncated = outcome.Size > outcome.Length,
                },
            },
            Error = outcome.Error,
            Tags = tags,
        };
        await _sink.WriteAsync(result, CancellationToken.None).ConfigureAwait(false);
    }

    private static ImmutableArray<HeaderField> Headers(HttpResponseMessage response)
    {
        var builder = ImmutableArray.CreateBuilder<HeaderField>();
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            foreach (var value in values)
            {
                builder.Add(new HeaderField(name, value));
            }
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            foreach (var value in values)
            {
                builder.Add(new HeaderField(name, value));
            }
        }

        return builder.ToImmutable();
    }

    internal static ExchangeError Classify(HttpRequestException ex)
    {
        var kind = ex.HttpRequestError switch
        {
            HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError => ExchangeErrorKind.Connect,
            HttpRequestError.ResponseEnded => ExchangeErrorKind.Reset,
            HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError or HttpRequestError.SecureConnectionError or HttpRequestError.VersionNegotiationError => ExchangeErrorKind.Protocol,
            _ => ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset } || ex.InnerException is IOException ? ExchangeErrorKind.Reset : ExchangeErrorKind.Other,
        };
        return new ExchangeError(kind, ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message);
    }

    /// <summary>The outcome of one send; owns pooled buffers until <see cref="Release"/>.</summary>
    private sealed class Outcome
    {
        public DateTimeOffset SentAt { get; init; }

        public long Start { get; init; }

        public long End { get; set; }

        public int Status { get; set; }

        public string? Reason { get; set; }

        public string? Version { get; set; }

        public string? MediaType { get; set; }

        public ImmutableArray<HeaderField> Headers { get; set; } = [];

        public ImmutableArray<HeaderField> Trailers { get; set; } = [];

        public ExchangeError? Error { get; set; }

        public byte[]? Buffer { get; set; }

        public byte[]? Scratch { get; set; }

        public int Length { get; set; }

        public long Size { get; set; }

        public void Release()
        {
            if (Buffer is { } buffer)
            {
                Buffer = null;
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (Scratch is { } scratch)
            {
                Scratch = null;
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
    }
}
