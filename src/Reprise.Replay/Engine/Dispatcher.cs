using System.Globalization;
using System.Threading.Channels;
using Reprise.Core.Model;
using Reprise.Replay.Http;
using Reprise.Replay.Pacing;
using Reprise.Replay.Sessions;
using Reprise.Replay.TimeShift;

namespace Reprise.Replay.Engine;

/// <summary>
/// Reads the recording (streaming, once per loop), assigns sessions and shards, computes each
/// request's intended send time and hands work to the <see cref="RequestExecutor"/>: at the intended
/// time under open-model pacing, as fast as the virtual users take it under closed-model pacing.
/// </summary>
internal sealed class Dispatcher : IDisposable
{
    private const int MaxTrackedSessions = 100_000;
    private readonly ReplayOptions _options;
    private readonly TimeProvider _time;
    private readonly TemplateBuilder _templates;
    private readonly RequestExecutor _executor;
    private readonly SemaphoreSlim _slots;
    private readonly int _slotCount;
    private readonly Dictionary<(string Key, int Copy, int Loop), ReplaySession> _sessions = [];
    private readonly Channel<WorkItem>? _ready;
    private long _start;

    public Dispatcher(ReplayOptions options, TemplateBuilder templates, RequestExecutor executor)
    {
        _options = options;
        _time = options.TimeProvider;
        _templates = templates;
        _executor = executor;
        _slotCount = options.Pacing == PacingMode.Vus ? Math.Max(64, options.Vus * 4) : options.MaxInFlight;
        _slots = new SemaphoreSlim(_slotCount, _slotCount);
        if (options.Pacing == PacingMode.Vus)
        {
            _ready = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleWriter = true });
        }
    }

    public long SkippedOutbound { get; private set; }

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

            var recordingStart = first.StartedAt;
            if (_options.TimeShift)
            {
                TimeShift = _options.TimeShiftBy ?? (_time.GetUtcNow() - recordingStart);
                if (TimeShift != TimeSpan.Zero)
                {
                    _templates.Shifter = new TimeShifter(TimeShift, recordingStart);
                }
            }

            await Preflight.CheckAsync(_options, cancellationToken).ConfigureAwait(false);
            if (_options.Token is { } token)
            {
                await token.GetAsync(cancellationToken).ConfigureAwait(false);
            }

            _start = _time.GetTimestamp();
            var workers = StartWorkers(cancellationToken);
            try
            {
                await DispatchAsync(recorded, enumerator, first, recordingStart, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _ready?.Writer.TryComplete();
                await Task.WhenAll(workers).ConfigureAwait(false);

                // Every outstanding request holds a slot: taking them all back means all have completed.
                for (var i = 0; i < _slotCount; i++)
                {
                    await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task[] StartWorkers(CancellationToken cancellationToken)
    {
        if (_ready is null)
        {
            return [];
        }

        var workers = new Task[_options.Vus];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(
                async () =>
                {
                    var reader = _ready.Reader;
                    while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        while (reader.TryRead(out var item))
                        {
                            await RunChainAsync(item, cancellationToken).ConfigureAwait(false);
                        }
                    }
                },
                CancellationToken.None);
        }

        return workers;
    }

    private async Task DispatchAsync(IAsyncEnumerable<Exchange> recorded, IAsyncEnumerator<Exchange> enumerator, Exchange first, DateTimeOffset recordingStart, CancellationToken cancellationToken)
    {
        var multiplier = _options.Multiplier;
        var duration = _options.Duration;
        long index = 0;
        double loopBase = 0;
        double lastWall = 0;
        for (var loop = 0; ; loop++)
        {
            double maxOffset = 0;
            var current = loop == 0 ? first : null;
            var e = enumerator;
            if (loop > 0)
            {
                e = recorded.GetAsyncEnumerator(cancellationToken);
            }

            var any = false;
            try
            {
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

                    any = true;
                    var (key, grouped) = SessionKeys.Of(exchange, _options.SessionKeys);
                    if (_options.Shard is { } shard && !shard.Owns(SessionKeys.StableHash(key)))
                    {
                        continue;
                    }

                    var offset = Math.Max(0, (exchange.StartedAt - recordingStart).TotalSeconds);
                    maxOffset = Math.Max(maxOffset, offset);
                    var template = _templates.Build(exchange);
                    for (var copy = 0; copy < multiplier; copy++)
                    {
                        long intended = 0;
                        if (_options.Pacing != PacingMode.Vus)
                        {
                            var virtualSeconds = _options.Pacing == PacingMode.Rate ? index / _options.Rate : (loopBase + offset) / _options.Speed;
                            var wall = Math.Max(lastWall, _options.Ramp?.WallSeconds(virtualSeconds) ?? virtualSeconds);
                            lastWall = wall;
                            if (duration is { } d && wall >= d.TotalSeconds)
                            {
                                return;
                            }

                            intended = _start + (long)(wall * _time.TimestampFrequency);
                            var wait = _time.GetElapsedTime(_time.GetTimestamp(), intended);
                            if (wait > TimeSpan.Zero)
                            {
                                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                            }
                        }
                        else if (duration is { } d && _time.GetElapsedTime(_start) >= d)
                        {
                            return;
                        }

                        index++;
                        await SubmitAsync(new WorkItem(template, SessionFor(key, grouped, copy, loop), intended, loop), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                if (loop > 0)
                {
                    await e.DisposeAsync().ConfigureAwait(false);
                }
            }

            if (duration is null || !any)
            {
                return;
            }

            // The next pass starts one average gap after this one's last request.
            loopBase += maxOffset + Math.Max(0.001, maxOffset / Math.Max(1, index));
            if (_options.Pacing == PacingMode.Vus && _time.GetElapsedTime(_start) >= duration.Value)
            {
                return;
            }
        }
    }

    private ReplaySession SessionFor(string key, bool grouped, int copy, int loop)
    {
        if (!grouped)
        {
            Sessions++;
            return new ReplaySession(key, copy, grouped: false);
        }

        lock (_sessions)
        {
            if (_sessions.TryGetValue((key, copy, loop), out var session))
            {
                return session;
            }

            if (_sessions.Count >= MaxTrackedSessions)
            {
                EvictIdle();
            }

            session = new ReplaySession(key, copy, grouped: true);
            _sessions[(key, copy, loop)] = session;
            Sessions++;
            return session;
        }
    }

    private void EvictIdle()
    {
        var idle = new List<(string, int, int)>();
        foreach (var (id, session) in _sessions)
        {
            lock (session.Gate)
            {
                if (!session.Busy)
                {
                    idle.Add(id);
                }
            }
        }

        foreach (var id in idle)
        {
            _sessions.Remove(id);
        }
    }

    private async ValueTask SubmitAsync(WorkItem item, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var session = item.Session;
        lock (session.Gate)
        {
            if (session.Busy)
            {
                session.Enqueue(item);
                return;
            }

            session.Busy = true;
        }

        if (_ready is not null)
        {
            _ready.Writer.TryWrite(item);
        }
        else
        {
            _ = Task.Run(() => RunChainAsync(item, cancellationToken), CancellationToken.None);
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

            var session = item.Session;
            lock (session.Gate)
            {
                if (!session.TryDequeue(out item))
                {
                    session.Busy = false;
                    return;
                }
            }
        }
    }

    public void Dispose() => _slots.Dispose();

    internal static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
