using System.Globalization;
using Reprise.Core.Model;
using Reprise.Core.Text;
using Reprise.Replay.Http;
using Reprise.Replay.Pacing;
using Reprise.Replay.Sessions;

namespace Reprise.Replay.Engine;

/// <summary>
/// Reads the recording (streaming, once per loop), assigns sessions and shards, computes each
/// request's intended send time and hands work to the <see cref="RequestExecutor"/>: at the intended
/// time under open-model pacing, as fast as the virtual users take it under closed-model pacing.
/// </summary>
internal sealed class Dispatcher : IDisposable
{
    private const int MaxTrackedSessions = 100_000;
    private const int TemplateCacheLimit = 50_000;
    private const int PullBatch = 16;
    private const int MaxQueued = 8192;
    private const int MaxLongWaitNotices = 5;
    private const int GateSpins = 16;
    private const int GateSpinIterations = 20;
    private static readonly TimeSpan LongWait = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxTimerChunk = TimeSpan.FromDays(1);
    private int _longWaitNotices;
    private long _queued;
    private SessionLinker? _linker;
    private readonly ReplayOptions _options;
    private readonly TimeProvider _time;
    private readonly TemplateBuilder _templates;
    private readonly RequestExecutor _executor;
    private readonly SemaphoreSlim _slots;
    private readonly int _slotCount;
    private readonly SessionTable _sessions = new(MaxTrackedSessions);
    private readonly ReplaySession?[] _loners;
    private long _start;
    private bool _cacheComplete;

    public Dispatcher(ReplayOptions options, TemplateBuilder templates, RequestExecutor executor)
    {
        _options = options;
        _time = options.TimeProvider;
        _templates = templates;
        _executor = executor;
        _slotCount = options.MaxInFlight;
        _slots = new SemaphoreSlim(_slotCount, _slotCount);
        _loners = new ReplaySession?[Math.Max(1, options.Multiplier)];
    }

    public long SkippedOutbound { get; private set; }

    /// <summary>Most exchanges (inbound or not) the session-key look-ahead reads before the run starts.</summary>
    internal const int MaxWindowRead = 100_000;

    /// <summary>Requests not sent because their recorded body was cut at record time (counted once, in this shard).</summary>
    public long SkippedTruncated { get; private set; }

    /// <summary>Recorded WebSocket sessions not replayed (a prior-knowledge HTTP/2 target, <c>--h2c</c>, has no upgrade to open them with).</summary>
    public long SkippedWebSocket { get; private set; }

    public long Sessions { get; private set; }

    public TimeSpan TimeShift { get; private set; }

    public long StartTimestamp => _start;

    /// <summary>Runs the whole replay; returns when every request has completed.</summary>
    public async Task RunAsync(IAsyncEnumerable<Exchange> recorded, CancellationToken cancellationToken)
    {
        var enumerator = recorded.GetAsyncEnumerator(cancellationToken);
        try
        {
            Exchange? first = null;
            while (await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                if (enumerator.Current.Direction == Direction.Inbound)
                {
                    first = enumerator.Current;
                    break;
                }

                SkippedOutbound++;
            }

            if (first is null)
            {
                throw new ReplayInputException(SkippedOutbound > 0
                    ? $"the recording has no inbound exchanges to replay ({SkippedOutbound:N0} outbound skipped; replay drives inbound traffic, mock serves outbound)"
                    : "the recording has no inbound exchanges to replay (it is empty after filtering)");
            }

            var keys = _options.SessionKeys;
            if (keys is null)
            {
                // The default key depends on whether trace ids group requests here: look at a bounded window first.
                // Only inbound exchanges are kept (outbound ones are skipped here as the run would skip them), and the
                // look-ahead reads a bounded number of exchanges: a recording of few inbound and millions of outbound
                // calls must not be read into memory before the first request.
                var window = new List<Exchange>();
                long bytes = 0;
                var read = 0;
                while (window.Count < SessionKeyChooser.Window && bytes < SessionKeyChooser.WindowBytes && read < MaxWindowRead && await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    var next = enumerator.Current;
                    read++;
                    if (next.Direction != Direction.Inbound)
                    {
                        SkippedOutbound++;
                        continue;
                    }

                    window.Add(next);
                    bytes += (next.Request.Body?.Content.Length ?? 0) + (next.Response?.Body?.Content.Length ?? 0);
                }

                keys = SessionKeyChooser.Choose([first, .. window], out var note);
                if (note is not null)
                {
                    _options.OnNotice?.Invoke(note);
                }

                enumerator = new PrefixedEnumerator<Exchange>(window, enumerator);
            }

            _linker = new SessionLinker(keys);
            var recordingStart = first.StartedAt;
            if (_options.TimeShift)
            {
                TimeShift = _options.TimeShiftBy ?? (_time.GetUtcNow() - recordingStart);
                if (TimeShift != TimeSpan.Zero)
                {
                    _templates.Shifter = new TimeShifter(TimeShift, recordingStart);
                }
            }

            // With --preserve-host the requests carry the recorded Host, and TLS names it (SNI, certificate check): so must the preflight.
            var tlsHost = _options.PreserveHost ? Preflight.HostName(first.Request.Headers.Get("Host") ?? first.Request.Headers.Get(":authority")) : null;
            await Preflight.CheckAsync(_options, tlsHost, cancellationToken).ConfigureAwait(false);
            if (_options.Token is { } token)
            {
                await token.GetAsync(cancellationToken).ConfigureAwait(false);
            }

            _start = _time.GetTimestamp();
            var items = ItemsAsync(recorded, enumerator, first, recordingStart, cancellationToken);
            try
            {
                if (_options.Pacing == PacingMode.Vus)
                {
                    await RunVirtualUsersAsync(items, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    try
                    {
                        while (await items.MoveNextAsync().ConfigureAwait(false))
                        {
                            await SubmitAsync(items.Current, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        // Shutdown: stop sending; what completed is still summarised and written.
                    }
                    finally
                    {
                        // Every outstanding request holds a slot: taking them all back means all have completed.
                        for (var i = 0; i < _slotCount; i++)
                        {
                            await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                        }
                    }
                }
            }
            finally
            {
                await items.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closed model: each virtual user pulls the next request itself (no hand-off thread), runs it and
    /// any requests of the same session queued behind it, then pulls again.
    /// </summary>
    private async Task RunVirtualUsersAsync(IAsyncEnumerator<WorkItem> items, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(1, 1);
        var done = false;
        var workers = new Task[_options.Vus];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(
                async () =>
                {
                    // Pull a small batch per turn at the shared reader, so VUs rarely wait on each other there.
                    var batch = new List<WorkItem>(PullBatch);
                    var user = new VirtualUser();
                    try
                    {
                        while (true)
                        {
                            batch.Clear();
                            if (!TryEnterBriefly(gate))
                            {
                                await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                            }

                            try
                            {
                                var pulls = 0;
                                while (batch.Count < PullBatch && pulls++ < PullBatch * 4 && Volatile.Read(ref _queued) < MaxQueued && !done && !cancellationToken.IsCancellationRequested)
                                {
                                    if (!await items.MoveNextAsync().ConfigureAwait(false))
                                    {
                                        done = true;
                                        break;
                                    }

                                    // Claim the session in pull order, under the gate: a later request of a session
                                    // another VU holds (or has pulled) queues behind it instead of overtaking it.
                                    if (TryStart(items.Current))
                                    {
                                        batch.Add(items.Current);
                                    }
                                }
                            }
                            finally
                            {
                                gate.Release();
                            }

                            if (batch.Count == 0)
                            {
                                if (done || cancellationToken.IsCancellationRequested)
                                {
                                    return;
                                }

                                // Everything pulled queued behind running sessions (or the queue is full): let them drain.
                                await Task.Delay(TimeSpan.FromMilliseconds(1), _time, CancellationToken.None).ConfigureAwait(false);
                                continue;
                            }

                            foreach (var first in batch)
                            {
                                // RunChainAsync's loop, inline: a request that suspends then resumes this VU's state machine
                                // directly, with no per-request task in between.
                                var item = first;
                                do
                                {
                                    if (_executor.TryBeginDirect(item, user, out var send))
                                    {
                                        // The direct path: a response still on its way suspends this state machine only.
                                        var direct = user.Direct;
                                        try
                                        {
                                            await send.ConfigureAwait(false);
                                            while (!direct.TryReadHead())
                                            {
                                                direct.CommitHeadBytes(await direct.ReceiveAsync().ConfigureAwait(false));
                                            }

                                            if (!direct.BodyComplete)
                                            {
                                                await direct.DrainBodyAsync().ConfigureAwait(false);
                                            }

                                            direct.Succeeded();
                                        }
                                        catch (Exception ex)
                                        {
                                            direct.Fault = ex;
                                        }

                                        await _executor.EndDirectAsync(item, user, cancellationToken).ConfigureAwait(false);
                                    }
                                    else
                                    {
                                        await _executor.ExecuteAsync(item, user, cancellationToken).ConfigureAwait(false);
                                    }
                                }
                                while (TryNextInSession(ref item));
                            }
                        }
                    }
                    finally
                    {
                        _executor.EndVirtualUser(user);
                    }
                },
                CancellationToken.None);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the pull gate if it is free or freed within a few microseconds (another VU pulling its batch from
    /// memory). A VU that awaited the semaphore instead would resume on a thread-pool worker, waking one that then
    /// spins for a millisecond before it sleeps again: most of the pool's CPU under load. A holder that is slow
    /// (reading the recording, preempted) is still waited for asynchronously by the caller.
    /// </summary>
    private static bool TryEnterBriefly(SemaphoreSlim gate)
    {
        for (var i = 0; i < GateSpins; i++)
        {
            if (gate.Wait(0))
            {
                return true;
            }

            Thread.SpinWait(GateSpinIterations);
        }

        return gate.Wait(0);
    }

    private async IAsyncEnumerator<WorkItem> ItemsAsync(IAsyncEnumerable<Exchange> recorded, IAsyncEnumerator<Exchange> enumerator, Exchange first, DateTimeOffset recordingStart, CancellationToken cancellationToken)
    {
        var multiplier = _options.Multiplier;
        var duration = _options.Duration;
        long index = 0;
        double loopBase = 0;
        double lastWall = 0;

        // Under --duration, a recording that fits is kept as built templates after the first pass, so
        // later passes neither re-read nor re-parse it; a larger one is streamed again each pass.
        var cache = duration is null ? null : new List<Entry>();
        for (var loop = 0; ; loop++)
        {
            double maxOffset = 0;
            long passEntries = 0;
            var any = false;
            var entries = Entries(loop, loop == 0 ? enumerator : null, recorded, first, recordingStart, cache, cancellationToken);
            try
            {
                while (await entries.MoveNextAsync().ConfigureAwait(false))
                {
                    var entry = entries.Current;
                    any = true;
                    passEntries++;
                    maxOffset = Math.Max(maxOffset, entry.Offset);
                    if (entry.Template is null)
                    {
                        continue; // another shard's session
                    }

                    for (var copy = 0; copy < multiplier; copy++)
                    {
                        long intended = 0;
                        if (_options.Pacing != PacingMode.Vus)
                        {
                            var virtualSeconds = _options.Pacing == PacingMode.Rate ? index / _options.Rate : (loopBase + entry.Offset) / _options.Speed;
                            var wall = Math.Max(lastWall, _options.Ramp?.WallSeconds(virtualSeconds) ?? virtualSeconds);
                            lastWall = wall;
                            if (duration is { } d && wall >= d.TotalSeconds)
                            {
                                yield break;
                            }

                            intended = _start + (long)(wall * _time.TimestampFrequency);
                            await WaitUntilAsync(intended, cancellationToken).ConfigureAwait(false);
                        }
                        else if (duration is { } d && _time.GetElapsedTime(_start) >= d)
                        {
                            yield break;
                        }

                        index++;
                        yield return new WorkItem(entry.Template, SessionFor(entry.Key, entry.Grouped, copy, loop), intended, loop, entry.Plan);
                    }
                }
            }
            finally
            {
                await entries.DisposeAsync().ConfigureAwait(false);
            }

            if (duration is null || !any)
            {
                yield break;
            }

            // The next pass starts one average gap after this one's last request.
            loopBase += maxOffset + Math.Max(0.001, maxOffset / Math.Max(1, passEntries));
            if (_options.Pacing == PacingMode.Vus && _time.GetElapsedTime(_start) >= duration.Value)
            {
                yield break;
            }
        }
    }

    private async IAsyncEnumerator<Entry> Entries(int loop, IAsyncEnumerator<Exchange>? firstPass, IAsyncEnumerable<Exchange> recorded, Exchange first, DateTimeOffset recordingStart, List<Entry>? cache, CancellationToken cancellationToken)
    {
        if (loop > 0 && cache is not null && _cacheComplete)
        {
            foreach (var entry in cache)
            {
                yield return entry;
            }

            yield break;
        }

        var e = firstPass ?? recorded.GetAsyncEnumerator(cancellationToken);
        try
        {
            var current = firstPass is not null ? first : null;
            while (true)
            {
                if (current is null)
                {
                    if (!await e.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    current = e.Current;
                }

                var exchange = current;
                current = null;
                if (exchange.Direction != Direction.Inbound)
                {
                    if (loop == 0)
                    {
                        SkippedOutbound++;
                    }

                    continue;
                }

                var (key, grouped) = _linker!.Resolve(exchange);
                var offset = Math.Max(0, (exchange.StartedAt - recordingStart).TotalSeconds);
                var owned = _options.Shard is not { } shard || shard.Owns(SessionKeys.StableHash(key));
                if (owned && _options.H2c && TemplateBuilder.IsWebSocketSession(exchange))
                {
                    // A prior-knowledge HTTP/2 target has no HTTP/1.1 upgrade to open the session with.
                    owned = false;
                    if (loop == 0)
                    {
                        SkippedWebSocket++;
                    }
                }
                else if (owned && exchange.Request.Body is { Truncated: true })
                {
                    // Sending a body cut at the capture cap would only measure the target's 400: skip and count it.
                    owned = false;
                    if (loop == 0)
                    {
                        SkippedTruncated++;
                    }
                }

                var template = owned ? _templates.Build(exchange) : null;
                var entry = new Entry(template, _executor.DirectCapable ? template?.GetDirectPlan() : null, key, grouped, offset);
                if (loop == 0 && cache is not null)
                {
                    if (cache.Count < TemplateCacheLimit)
                    {
                        cache.Add(entry);
                    }
                    else
                    {
                        // Too large to keep: later passes stream again; release what was kept so far now
                        // (the caller holds the same list for the whole run).
                        cache.Clear();
                        cache.TrimExcess();
                        cache = null;
                    }
                }

                yield return entry;
            }

            if (loop == 0 && cache is not null)
            {
                _cacheComplete = true;
            }
        }
        finally
        {
            if (firstPass is null)
            {
                await e.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Waits until the intended timestamp in chunks of at most a day (a timer cannot wait past ~49.7
    /// days), and says so once a single wait under original pacing is long: the user may want --speed or --rate.
    /// </summary>
    private async Task WaitUntilAsync(long intended, CancellationToken cancellationToken)
    {
        var wait = _time.GetElapsedTime(_time.GetTimestamp(), intended);
        if (wait >= LongWait && _options.Pacing == PacingMode.Original && _longWaitNotices < MaxLongWaitNotices)
        {
            _longWaitNotices++;
            _options.OnNotice?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"waiting {DescribeWait(wait)} for the next request (a gap in the recording{(_options.Speed != 1 ? $" at --speed {Format(_options.Speed)}" : string.Empty)}); --speed N compresses the timeline, --rate N ignores the gaps"));
        }

        while (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait < MaxTimerChunk ? wait : MaxTimerChunk, _time, cancellationToken).ConfigureAwait(false);
            wait = _time.GetElapsedTime(_time.GetTimestamp(), intended);
        }
    }

    private static string DescribeWait(TimeSpan wait) =>
        wait.TotalDays >= 2 ? wait.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + " days"
        : wait.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " hours";

    /// <summary>
    /// One recorded inbound exchange, ready to schedule (Template null: another shard's). A value, so the cached pass is
    /// one array read in order, not an object per entry to fetch from memory.
    /// </summary>
    private readonly record struct Entry(RequestTemplate? Template, DirectPlan? Plan, string Key, bool Grouped, double Offset);

    private ReplaySession SessionFor(string key, bool grouped, int copy, int loop)
    {
        if (!grouped)
        {
            // Alone in its session: nothing is ordered, learned or kept on it (no correlation, never busy or queued),
            // so every such request of a copy shares one instance instead of allocating one per request.
            Sessions++;
            return _loners[copy] ??= new ReplaySession(string.Empty, copy, grouped: false);
        }

        lock (_sessions)
        {
            var session = _sessions.GetOrAdd(key, copy, loop, out var created);
            if (created)
            {
                Sessions++;
            }

            return session;
        }
    }

    private async ValueTask SubmitAsync(WorkItem item, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (TryStart(item))
        {
            _ = Task.Run(() => RunChainAsync(item, cancellationToken), CancellationToken.None);
        }
    }

    /// <summary>
    /// Open pacing: a request of a session may run alongside the session's running ones when the recording shows it
    /// overlapping them (a client with requests in flight at once, e.g. a long poll answered only after the next POST).
    /// The closed model runs a session's requests on one virtual user, one at a time.
    /// </summary>
    private bool Overlap => _options.Pacing != PacingMode.Vus;

    /// <summary>True when the item may run now; false when it was queued behind its session's running request.</summary>
    private bool TryStart(WorkItem item)
    {
        var session = item.Session;
        if (!session.Grouped)
        {
            return true; // alone in its session: nothing to order against
        }

        lock (session.Gate)
        {
            if (session.Busy && !(Overlap && session.MayOverlap(item)))
            {
                session.Enqueue(item);
                Interlocked.Increment(ref _queued);
                return false;
            }

            session.Started(item);
            return true;
        }
    }

    private async Task RunChainAsync(WorkItem item, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await _executor.ExecuteAsync(item, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }

            if (!TryNextInSession(ref item, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>
    /// After <paramref name="item"/> completed: the next request queued behind it in its session, or false (the session
    /// is then idle, or still running requests the next one waits for). Further queued requests that overlapped the
    /// ones now running in the recording start on chains of their own.
    /// </summary>
    private bool TryNextInSession(ref WorkItem item, CancellationToken cancellationToken = default)
    {
        var session = item.Session;
        if (!session.Grouped)
        {
            return false;
        }

        List<WorkItem>? alongside = null;
        lock (session.Gate)
        {
            session.Finished(item);
            if (!session.TryStartNext(Overlap, out item))
            {
                return false;
            }

            Interlocked.Decrement(ref _queued);
            while (Overlap && session.TryStartNext(overlap: true, out var more))
            {
                Interlocked.Decrement(ref _queued);
                (alongside ??= []).Add(more);
            }
        }

        if (alongside is not null)
        {
            foreach (var more in alongside)
            {
                // Each queued item already holds a send slot (taken when it was submitted).
                _ = Task.Run(() => RunChainAsync(more, cancellationToken), CancellationToken.None);
            }
        }

        return true;
    }

    public void Dispose() => _slots.Dispose();

    internal static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
