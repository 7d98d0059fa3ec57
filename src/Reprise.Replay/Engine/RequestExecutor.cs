using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Net.Sockets;
using Reprise.Core.Model;
using Reprise.Replay.Correlation;
using Reprise.Replay.Http;
using Reprise.Replay.Results;
using Reprise.Replay.Variation;
using Reprise.Replay.WebSockets;

namespace Reprise.Replay.Engine;

/// <summary>
/// Sends one request and records its outcome: builds the message from the template (adjusting it only
/// when correlation, copy variation or a token require), reads the response into a pooled buffer,
/// learns correlated values, writes the result and updates the per-endpoint histograms.
/// </summary>
internal sealed class RequestExecutor : IDisposable
{
    private readonly ReplayOptions _options;
    private readonly TimeProvider _time;
    private readonly IReplayTransport _transport;
    private readonly IReplayResultSink _sink;
    private readonly Correlator _correlator;
    private readonly SummaryAccumulator _summary;
    private readonly string[] _copyText;
    private readonly string _runId;
    private readonly string? _shard;
    private readonly RequestTimeouts _timeouts;
    private readonly bool _systemClock;
    private readonly WebSocketSessionRunner? _webSockets;
    private readonly RawHttpTransport? _raw;
    private readonly ConcurrentDictionary<Task, byte> _sessions = new();
    private readonly CancellationTokenSource _wrapUp = new();
    private ITimer? _wrapUpTimer;
    private Exception? _sessionFailure;
    private long _sequence;

    public RequestExecutor(ReplayOptions options, IReplayTransport transport, IReplayResultSink sink, Correlator correlator, SummaryAccumulator summary, WebSocketSessionRunner? webSockets = null)
    {
        _webSockets = webSockets;
        _options = options;
        _time = options.TimeProvider;
        _transport = transport;
        _sink = sink;
        _correlator = correlator;
        _summary = summary;
        _runId = options.RunId;
        _shard = options.Shard?.ToString();
        _timeouts = new RequestTimeouts(options.RequestTimeout);
        _systemClock = RequestTimeouts.SharesClock(_time);
        // The direct path's run-wide conditions, decided once: closed model on the raw transport, no results kept, no token.
        _raw = options.Pacing == Pacing.PacingMode.Vus && !sink.KeepsResults && options.Token is null ? transport as RawHttpTransport : null;
        _copyText = new string[options.Multiplier];
        for (var i = 0; i < _copyText.Length; i++)
        {
            _copyText[i] = i.ToString(CultureInfo.InvariantCulture);
        }
    }

    public Task ExecuteAsync(WorkItem item, CancellationToken cancellationToken) => ExecuteAsync(item, null, cancellationToken);

    /// <summary>Runs one request; <paramref name="user"/> is the virtual user running it (closed model), whose state it reuses.</summary>
    public async Task ExecuteAsync(WorkItem item, VirtualUser? user, CancellationToken cancellationToken)
    {
        var template = item.Template;
        var session = item.Session;
        var learn = _correlator.Enabled && session.Grouped && !template.IsWebSocket;
        try
        {
            string? bearer = _options.Token is { } tokens ? await tokens.GetAsync(cancellationToken).ConfigureAwait(false) : null;
            var outgoing = Prepare(template, session);
            for (var attempt = 0; ; attempt++)
            {
                // GraphQL bodies are kept to find errors reported in a 200 (summary only; nothing else is read).
                var outcome = NewOutcome();
                if (template.IsWebSocket && _webSockets is not null)
                {
                    // A session, not a request: opened in its user's order (values learned before it apply), then played
                    // in the background, so the user's later requests are not held behind a socket open for minutes.
                    var socket = await _webSockets.OpenAsync(template, outgoing, bearer, outcome, cancellationToken).ConfigureAwait(false);
                    outcome.End = outcome.HandshakeEnd = _time.GetTimestamp();
                    if (cancellationToken.IsCancellationRequested)
                    {
                        socket?.Dispose();
                        return;
                    }

                    if (socket is null)
                    {
                        await CompleteAsync(item, outgoing, bearer, outcome, learn: false).ConfigureAwait(false);
                        return;
                    }

                    Track(PlaySessionAsync(socket, item, outgoing, bearer, outcome, cancellationToken));
                    return;
                }

                RequestTimeouts.Slot timeout;
                if (user is null)
                {
                    timeout = _timeouts.Rent(_options.RequestTimeout);
                }
                else
                {
                    timeout = user.Timeout ??= _timeouts.Take();
                    if (_systemClock)
                    {
                        _timeouts.StartAt(timeout, _options.RequestTimeout, outcome.Start); // the clock was read just now
                    }
                    else
                    {
                        _timeouts.Start(timeout, _options.RequestTimeout);
                    }
                }

                try
                {
                    // Awaited here, not in a helper: a response still on its way suspends one state machine less.
                    await _transport.SendAsync(template, outgoing, bearer, learn || _sink.KeepsResults || template.IsGraphQl, outcome, user?.Lane, timeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    if (user is null)
                    {
                        _timeouts.Return(timeout);
                    }
                    else
                    {
                        RequestTimeouts.Finish(timeout);
                    }
                }

                outcome.End = _time.GetTimestamp();
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
            await FailedAsync(item, ex).ConfigureAwait(false);
        }
    }

    /// <summary>Outcomes are values: a failure building or sending one request is that request's error, never the run's.</summary>
    private ValueTask FailedAsync(WorkItem item, Exception ex)
    {
        var message = ex is TokenCommandException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
        var outcome = new SendOutcome { Error = new ExchangeError(ExchangeErrorKind.Other, message), Start = _time.GetTimestamp(), End = _time.GetTimestamp(), SentAt = _time.GetUtcNow() };
        return CompleteAsync(item, null, null, outcome, learn: false);
    }

    /// <summary>True when the run may use the direct path (<see cref="TryBeginDirect"/>): the dispatcher then gives work items their template's plan.</summary>
    public bool DirectCapable => _raw is not null;

    /// <summary>
    /// Starts <paramref name="item"/> as a <see cref="DirectRequest"/> (its send begun; the caller awaits <paramref name="send"/>,
    /// receives the response through <see cref="VirtualUser.Direct"/> and then calls <see cref="EndDirectAsync"/>) when nothing
    /// of <see cref="ExecuteAsync(WorkItem, VirtualUser?, CancellationToken)"/>'s general path applies to it: the raw transport
    /// under closed-model pacing, the template's cached bytes sent as they are (no correlation to apply or learn, no copy to
    /// vary, no token), no body to keep (no results file, not GraphQL, not a WebSocket session) and the user's keep-alive
    /// connection idle in its lane. Otherwise false, and nothing was done. Timing, the timeout, errors, retry and the
    /// endpoint's stats are exactly the general path's.
    /// </summary>
    public bool TryBeginDirect(WorkItem item, VirtualUser user, out ValueTask send)
    {
        send = default;
        var template = item.Template;
        var session = item.Session;
        if (item.Plan is not { } plan || user.Lane.Connection is null || (_correlator.Enabled && session.Grouped) || session.Correlation is { IsEmpty: false } || _correlator.HasValueRules
            || (session.Copy > 0 && template.HasUniqueValues))
        {
            user.Direct.Release();
            return false;
        }

        var start = _time.GetTimestamp();
        var timeout = user.Timeout ??= _timeouts.Take();
        if (_systemClock)
        {
            _timeouts.StartAt(timeout, _options.RequestTimeout, start);
        }
        else
        {
            _timeouts.Start(timeout, _options.RequestTimeout);
        }

        if (!user.Direct.TryBegin(_raw!, user.Lane, plan, timeout, out send))
        {
            RequestTimeouts.Finish(timeout);
            return false;
        }

        user.DirectStart = start;
        return true;
    }

    /// <summary>
    /// Ends a request begun with <see cref="TryBeginDirect"/> as <see cref="ExecuteAsync(WorkItem, VirtualUser?, CancellationToken)"/>
    /// ends one: a stale keep-alive connection's failure is retried on a fresh connection, a failure is classified, a request
    /// aborted by shutdown is not a result, and the endpoint's stats get the outcome. Completes synchronously unless retried.
    /// </summary>
    public ValueTask EndDirectAsync(WorkItem item, VirtualUser user, CancellationToken cancellationToken)
    {
        var direct = user.Direct;
        if (direct.End())
        {
            return RetryDirectAsync(item, user, cancellationToken);
        }

        RequestTimeouts.Finish(user.Timeout!);
        ExchangeError? error = null;
        if (direct.Fault is { } fault)
        {
            error = direct.Classify();
            if (error is null)
            {
                // Not the target's: what the general path's catch clauses do with an exception the transport passes on.
                if (cancellationToken.IsCancellationRequested)
                {
                    return default;
                }

                if (fault is OperationCanceledException)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(fault);
                }

                return FailedAsync(item, fault);
            }
        }

        var end = _time.GetTimestamp();
        if (cancellationToken.IsCancellationRequested)
        {
            return default; // aborted by shutdown: not a result of the target
        }

        // CompleteAsync's work for such a request (nothing kept, learned or delayed): the outcome in the endpoint's stats.
        _summary.Record(direct.Plan.Stats, error is null ? direct.Status : null, error?.Kind, _time.GetElapsedTime(user.DirectStart, end));
        return default;
    }

    /// <summary>The general path's retry of a request whose first attempt failed on a stale keep-alive connection.</summary>
    private async ValueTask RetryDirectAsync(WorkItem item, VirtualUser user, CancellationToken cancellationToken)
    {
        var direct = user.Direct;
        var outcome = new SendOutcome { Start = user.DirectStart };
        try
        {
            try
            {
                await _raw!.SendRawAsync(direct.Plan.Wire, direct.Plan.HeadRequest, noBody: true, keepBody: false, outcome, user.Lane, user.Timeout!.Token, firstAttempt: 1).ConfigureAwait(false);
            }
            finally
            {
                RequestTimeouts.Finish(user.Timeout!);
            }

            outcome.End = _time.GetTimestamp();
            if (cancellationToken.IsCancellationRequested)
            {
                return; // aborted by shutdown: not a result of the target
            }

            await CompleteAsync(item, null, null, outcome, learn: false).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: requests aborted or not sent are not results.
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await FailedAsync(item, ex).ConfigureAwait(false);
        }
        finally
        {
            outcome.Release();
        }
    }

    private OutgoingRequest? Prepare(RequestTemplate template, ReplaySession session)
    {
        OutgoingRequest? outgoing = null;
        if (session.Correlation is { IsEmpty: false } correlation)
        {
            outgoing = template.ToOutgoing();
            lock (session.Gate)
            {
                _correlator.Apply(correlation, template, outgoing);
            }
        }
        else if (_correlator.HasValueRules)
        {
            // A value rule's secret goes into every request that carries its masked value, learned values or not. The
            // session's (still empty) correlation is made once, as learning would make it, not a fresh one per request.
            outgoing = template.ToOutgoing();
            lock (session.Gate)
            {
                _correlator.Apply(session.Correlation ??= new SessionCorrelation(), template, outgoing);
            }
        }

        if (session.Copy > 0 && template.HasUniqueValues)
        {
            outgoing ??= template.ToOutgoing();
            HashSet<string>? keep = null;
            if (session.Correlation is { } learned)
            {
                lock (session.Gate)
                {
                    keep = [.. learned.NewValues]; // a copy: overlapping requests and WebSocket sessions add to it
                }
            }

            keep = KeepGiven(keep);

            outgoing.Url = CopyVarier.Vary(outgoing.Url, session.Copy, keep, inUrl: true);
            for (var i = 0; i < outgoing.Headers.Count; i++)
            {
                var header = outgoing.Headers[i];
                var varied = CopyVarier.IsUniqueHeader(header.Name) ? CopyVarier.VaryValue(header.Value, session.Copy) : header.Value;
                if (!ReferenceEquals(varied, header.Value))
                {
                    outgoing.Headers[i] = new HeaderField(header.Name, varied);
                }
            }

            if (!outgoing.Body.IsEmpty && Core.Protocols.BinaryBodies.IsBinary(ContentType(outgoing), outgoing.Body.Span))
            {
                // Length-prefixed binary (gRPC, protobuf) is often valid UTF-8 too: only same-length changes keep it decodable.
                outgoing.Body = CopyVarier.VaryBinary(outgoing.Body, session.Copy, keep);
            }
            else
            {
                outgoing.Body = CopyVarier.VaryText(outgoing.Body, session.Copy, keep);
            }
        }

        return outgoing;
    }

    private static string? ContentType(OutgoingRequest request)
    {
        foreach (var header in request.Headers)
        {
            if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>Plays an opened WebSocket session to its end and writes its result.</summary>
    private async Task PlaySessionAsync(System.Net.WebSockets.ClientWebSocket socket, WorkItem item, OutgoingRequest? outgoing, string? bearer, SendOutcome outcome, CancellationToken cancellationToken)
    {
        using (socket)
        {
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            var (session, template) = (item.Session, item.Template);

            // The session's own messages are a conversation to learn from even when it is alone in its session (its own correlation then).
            SessionCorrelation? conversation = null;
            if (_correlator.Enabled)
            {
                lock (session.Gate)
                {
                    conversation = session.Grouped ? session.Correlation ??= new SessionCorrelation() : new SessionCorrelation();
                }
            }

            try
            {
                // A session alone in its session learns into its own correlation: its own lock, not the one all such sessions share.
                var gate = session.Grouped ? session.Gate : new Lock();
                await _webSockets!.PlayAsync(socket, template, Substitution(conversation, gate, template, session.Copy), Learning(conversation, gate, template), outcome, tags, _wrapUp.Token, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return; // aborted by shutdown: not a result of the target
            }
            catch (Exception ex)
            {
                // Outcomes are values: a session that fails in an unforeseen way is that session's result, never the run's.
                tags[Core.Model.WellKnownTags.WebSocketError] = $"{ex.GetType().Name}: {ex.Message}";
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            outcome.End = _time.GetTimestamp();
            outcome.Tags = tags;
            await CompleteAsync(item, outgoing, bearer, outcome, learn: false, conversation).ConfigureAwait(false);
        }
    }

    private void Track(Task session)
    {
        _sessions.TryAdd(session, 0);
        _ = session.ContinueWith(
            static (done, state) =>
            {
                var executor = (RequestExecutor)state!;
                if (done.Exception?.InnerException is { } failure)
                {
                    // Writing the session's result failed (the results file): the run must hear of it, as for a request.
                    Interlocked.CompareExchange(ref executor._sessionFailure, failure, null);
                }

                executor._sessions.TryRemove(done, out _);
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// The run's <c>--duration</c> ends in <paramref name="delay"/> (the dispatcher may have sent its last request before
    /// that): WebSocket sessions still playing then close (1001) instead of playing on to their recorded end, which
    /// could be minutes past the duration.
    /// </summary>
    public void WrapUpAfter(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            _wrapUp.Cancel();
            return;
        }

        _wrapUpTimer = _time.CreateTimer(
            static state =>
            {
                try
                {
                    ((CancellationTokenSource)state!).Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The run is over already.
                }
            },
            _wrapUp,
            delay,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>Waits for the WebSocket sessions still playing (the dispatcher has sent everything else); rethrows a session's failure to write its result.</summary>
    public async Task DrainAsync()
    {
        while (!_sessions.IsEmpty)
        {
            await Task.WhenAll(_sessions.Keys).ConfigureAwait(false);
        }

        if (Volatile.Read(ref _sessionFailure) is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>
    /// Rewrites a client text message as a request body is rewritten: the session's correlated values (learned so far),
    /// then, for a <c>--multiplier</c> copy, its unique values varied (not those the target issued), so copies of a
    /// session do not collide over its socket either. Null when neither applies.
    /// </summary>
    private Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? Substitution(SessionCorrelation? correlation, Lock gate, RequestTemplate template, int copy)
    {
        if (correlation is null && copy == 0)
        {
            return null;
        }

        return payload =>
        {
            HashSet<string>? keep = null;
            if (correlation is not null)
            {
                var message = new OutgoingRequest(string.Empty, [], payload);
                lock (gate)
                {
                    // A value rule's secret goes into every message that carries its masked value, learned values or not.
                    if (!correlation.IsEmpty || _correlator.HasValueRules)
                    {
                        _correlator.Apply(correlation, template, message);
                        payload = message.Body;
                    }

                    if (copy > 0)
                    {
                        keep = [.. correlation.NewValues]; // a copy: the session's requests and messages add to it
                    }
                }
            }

            return CopyVarier.VaryText(payload, copy, copy > 0 ? KeepGiven(keep) : keep);
        };
    }

    /// <summary>
    /// <paramref name="keep"/> with the values value rules give (<see cref="Correlator.GivenValues"/>): a copy varies the
    /// request's own unique values, never a secret the user supplied.
    /// </summary>
    private HashSet<string>? KeepGiven(HashSet<string>? keep)
    {
        if (_correlator.GivenValues.Count == 0)
        {
            return keep;
        }

        keep ??= new HashSet<string>(StringComparer.Ordinal);
        keep.UnionWith(_correlator.GivenValues);
        return keep;
    }

    /// <summary>Learns from a WebSocket session's server messages; null without correlation.</summary>
    private Action<int, int, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? Learning(SessionCorrelation? correlation, Lock gate, RequestTemplate template) =>
        correlation is null ? null : (recordedIndex, serverIndex, recorded, payload) =>
        {
            lock (gate)
            {
                _correlator.LearnMessage(correlation, template, recordedIndex, serverIndex, recorded.Span, payload.Span);
            }
        };

    /// <summary>
    /// A new outcome, started now. The request's timeout is a pooled slot, not linked to the run token (a linked
    /// source per request contends on the run token's callback list), and armed only for requests still running
    /// near their deadline (see <see cref="RequestTimeouts"/>); shutdown aborts in-flight requests by disposing
    /// the transport instead (Replayer). The wall-clock send time is only written to kept results; the latency
    /// comes from the timestamps.
    /// </summary>
    private SendOutcome NewOutcome() => new() { SentAt = _sink.KeepsResults ? _time.GetUtcNow() : default, Start = _time.GetTimestamp() };

    /// <summary>The virtual user has run its last request: its timeout slot and connection go back to the shared pools.</summary>
    public void EndVirtualUser(VirtualUser user)
    {
        user.Direct.Release();
        if (user.Timeout is { } slot)
        {
            user.Timeout = null;
            _timeouts.Release(slot);
        }

        (_transport as RawHttpTransport)?.EndLane(user.Lane);
    }

    public void Dispose()
    {
        _timeouts.Dispose();
        _wrapUpTimer?.Dispose();
        _wrapUp.Dispose();
    }

    private string CorrelatedIds(SessionCorrelation correlation)
    {
        static IEnumerable<(string, string)> Pairs(SessionCorrelation correlation, Core.Pipeline.IRedactionTokens? tokens)
        {
            foreach (var (recorded, learned) in correlation.Values)
            {
                yield return (recorded, learned.Value);
                if (tokens is not null && recorded.StartsWith("tok_", StringComparison.Ordinal) && correlation.TokenOf(recorded, learned.Value, tokens) is { } token)
                {
                    // Results are redacted with the recording's key: the new id is written as its token, so that is the pair diff meets.
                    // In today's email domain, as results are written, though a recording made before QA round 12c
                    // holds …@redacted.invalid (TokenLike answers in the recorded token's domain).
                    yield return (recorded, Core.Model.RedactedValue.WithCurrentEmailDomain(token));
                }
            }
        }

        return Core.Model.CorrelatedPairs.Format(Pairs(correlation, _options.Tokens));
    }

    private async ValueTask CompleteAsync(WorkItem item, OutgoingRequest? outgoing, string? bearer, SendOutcome outcome, bool learn, SessionCorrelation? conversation = null)
    {
        var template = item.Template;
        var duration = _time.GetElapsedTime(outcome.Start, outcome.End);
        // Only --rate (with or without --ramp) promises a send time the target's slowness can push back
        // (coordinated omission); under original pacing the wait behind a session's earlier request or
        // the scheduler is not the target's latency, and the summary must agree with the results' durations.
        var delay = item.IntendedTimestamp == 0 || _options.Pacing != Pacing.PacingMode.Rate ? TimeSpan.Zero : _time.GetElapsedTime(item.IntendedTimestamp, outcome.Start);
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        // A WebSocket session's latency is its handshake's; the result's duration is the whole session.
        var latency = outcome.HandshakeEnd > 0 ? _time.GetElapsedTime(outcome.Start, outcome.HandshakeEnd) : duration;
        // A call ended as the recorded client ended it is the recorded outcome, not a failure of the target.
        var failed = outcome.Error is not null && !outcome.EndedAsRecorded;
        _summary.Record(template.Stats, failed ? null : outcome.Status, failed ? outcome.Error!.Kind : null, latency + delay);
        var body = outcome.Buffer is null ? ReadOnlySpan<byte>.Empty : outcome.Buffer.AsSpan(0, outcome.Length);
        if (template.IsGraphQl && outcome.Error is null && Core.Protocols.GraphQlErrors.HasErrors(outcome.Status, body))
        {
            template.Stats.RecordGraphQlError();
        }
        if (learn && !failed)
        {
            lock (item.Session.Gate)
            {
                item.Session.Correlation ??= new SessionCorrelation();
                _correlator.Learn(item.Session.Correlation, template, outcome.Headers, body);
            }
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

        if (outcome.Tags is { Count: > 0 } extra)
        {
            tags = tags.SetItems(extra);
        }

        if (delay > TimeSpan.Zero)
        {
            tags = tags.SetItem(ReplayTags.DelayMicros, (delay.Ticks / 10).ToString(CultureInfo.InvariantCulture));
        }

        if (item.Loop > 0)
        {
            tags = tags.SetItem(ReplayTags.Loop, item.Loop.ToString(CultureInfo.InvariantCulture));
        }

        string? correlated = null;
        if ((conversation ?? item.Session.Correlation) is { Values.Count: > 0 } correlation)
        {
            lock (item.Session.Gate)
            {
                correlated = CorrelatedIds(correlation);
            }
        }

        if (correlated is { Length: > 0 })
        {
            // The ids this session learned so far: diff does not count a recorded id the new build replaced.
            tags = tags.SetItem(Core.Model.WellKnownTags.ReplayCorrelated, correlated);
        }

        var sent = outgoing is null && bearer is null ? template.SentRequest : template.Describe(outgoing ?? template.ToOutgoing(), bearer);
        if (template.TemplatesDifferently(sent))
        {
            tags = tags.SetItem(ReplayTags.EndpointTemplate, template.Endpoint.Template);
        }

        var result = new Exchange
        {
            Id = _runId + "-" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture),
            TraceId = recorded.TraceId,
            Direction = Direction.Inbound,
            Service = template.Endpoint.Service, // the recorded service (or host), not the target's
            Protocol = recorded.Protocol,
            StartedAt = outcome.SentAt,
            Duration = duration,
            Request = sent,
            Response = failed ? null : new ExchangeResponse
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
            Messages = outcome.Messages,
            Tags = tags,
        };
        await _sink.WriteAsync(result, CancellationToken.None).ConfigureAwait(false);
    }
}
