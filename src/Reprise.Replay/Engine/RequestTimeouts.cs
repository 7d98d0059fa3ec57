using System.Collections.Concurrent;

namespace Reprise.Replay.Engine;

/// <summary>
/// Per-request timeouts without a timer per request. Arming <c>CancelAfter</c> on every request takes the
/// runtime's timer-queue lock twice per request (arm, then reset); here a request only stores its deadline in a
/// pooled slot, and one periodic sweep arms the exact <c>CancelAfter</c> for the few requests still running
/// close to their deadline. A request that ends before that never touches the timer queue; one that runs long
/// is cancelled at exactly its deadline, as before. Like <c>CancelAfter</c>, this runs on the real clock
/// (<see cref="TimeProvider.System"/>), not the run's <see cref="TimeProvider"/>: a fake clock that paces a
/// test must not time out requests that are really in flight.
/// </summary>
internal sealed class RequestTimeouts : IDisposable
{
    private static readonly TimeProvider Clock = TimeProvider.System;
    private readonly long _timeoutTicks;
    private readonly long _armWithinTicks;
    private readonly bool _armAtStart;
    private readonly ConcurrentQueue<Slot> _free = new();
    private readonly Lock _grow = new();
    private readonly ITimer? _sweep;
    private Slot[] _all = [];

    public RequestTimeouts(TimeSpan timeout)
    {
        var frequency = Clock.TimestampFrequency;
        _timeoutTicks = (long)(timeout.TotalSeconds * frequency);

        // Sweep every quarter of the timeout (10-250 ms); arm what is due within two periods, so a sweep that
        // runs up to one period late still arms before the deadline.
        var period = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 10, 250));
        _armWithinTicks = (long)(2 * period.TotalSeconds * frequency);
        _armAtStart = _timeoutTicks <= _armWithinTicks;
        if (!_armAtStart)
        {
            _sweep = Clock.CreateTimer(static state => ((RequestTimeouts)state!).Sweep(), this, period, period);
        }
    }

    /// <summary>A slot whose <see cref="Slot.Token"/> is cancelled when the timeout elapses; give it back with <see cref="Return"/>.</summary>
    public Slot Rent(TimeSpan timeout)
    {
        var slot = Take();
        Start(slot, timeout);
        return slot;
    }

    /// <summary>Ends the request's timeout; the slot is reused.</summary>
    public void Return(Slot slot)
    {
        slot.Finish();
        _free.Enqueue(slot);
    }

    /// <summary>
    /// A slot for a caller whose requests never overlap (a virtual user) to keep between them: each request
    /// <see cref="Start"/>s and <see cref="Finish"/>es it without the shared free list; <see cref="Release"/> gives it back.
    /// </summary>
    public Slot Take()
    {
        if (_free.TryDequeue(out var slot))
        {
            return slot;
        }

        slot = new Slot();
        lock (_grow)
        {
            var all = new Slot[_all.Length + 1];
            _all.CopyTo(all, 0);
            all[^1] = slot;
            Volatile.Write(ref _all, all);
        }

        return slot;
    }

    /// <summary>Starts one request's timeout on a slot from <see cref="Take"/>.</summary>
    public void Start(Slot slot, TimeSpan timeout) => StartAt(slot, timeout, Clock.GetTimestamp());

    /// <summary>As Start, with <paramref name="now"/> a <see cref="TimeProvider.System"/> timestamp the caller just read.</summary>
    public void StartAt(Slot slot, TimeSpan timeout, long now) => slot.Start(now + _timeoutTicks, _armAtStart ? timeout : null);

    /// <summary>True when <paramref name="time"/>'s timestamps are this class's own (the system clock): a caller may pass one it read.</summary>
    public static bool SharesClock(TimeProvider time) => ReferenceEquals(time, Clock);

    /// <summary>Ends the request's timeout started with <see cref="Start"/>; the caller keeps the slot.</summary>
    public static void Finish(Slot slot) => slot.Finish();

    /// <summary>Gives back a slot from <see cref="Take"/> (its request finished).</summary>
    public void Release(Slot slot) => _free.Enqueue(slot);

    private void Sweep()
    {
        var now = Clock.GetTimestamp();
        foreach (var slot in Volatile.Read(ref _all))
        {
            slot.ArmIfDue(now, _armWithinTicks);
        }
    }

    /// <summary>Stops the sweep; call once no request is in flight.</summary>
    public void Dispose()
    {
        _sweep?.Dispose();
        foreach (var slot in Volatile.Read(ref _all))
        {
            slot.Dispose();
        }
    }

    /// <summary>One in-flight request's timeout: its deadline and the source its token comes from.</summary>
    internal sealed class Slot : IDisposable
    {
        private const int Idle = 0;
        private const int Running = 1;
        private const int Armed = 2;
        private readonly Lock _gate = new();
        private CancellationTokenSource _source = new();
        private long _deadline;
        private int _state;

        public CancellationToken Token { get; private set; }

        /// <summary>
        /// Changes whenever the slot's source is reset or replaced (after a timer was armed), i.e. whenever callbacks
        /// registered on <see cref="Token"/> may have been dropped: a caller keeping a registration across requests
        /// re-registers when it changed. Read by the slot's user, after <see cref="Start"/>.
        /// </summary>
        public int Generation { get; private set; }

        internal void Start(long deadline, TimeSpan? armNow)
        {
            if (_source.IsCancellationRequested)
            {
                // A timer that was already firing when the previous request reset the source cancelled it
                // afterwards: never hand a cancelled token to a new request.
                _source = new CancellationTokenSource();
                Generation++;
            }

            Token = _source.Token;
            _deadline = deadline;
            if (armNow is { } delay)
            {
                lock (_gate)
                {
                    _state = Armed;
                    _source.CancelAfter(delay);
                }

                return;
            }

            Volatile.Write(ref _state, Running);
        }

        /// <summary>Called by the sweep: arms the exact timer when the deadline is near (or cancels when it passed).</summary>
        internal void ArmIfDue(long now, long within)
        {
            if (Volatile.Read(ref _state) != Running || Volatile.Read(ref _deadline) - now > within)
            {
                return;
            }

            lock (_gate)
            {
                // Claim it atomically: Finish moves Running to Idle without the gate, so a plain check-then-write
                // here could arm a timer for a request that has already ended (and cancel the slot's next one).
                if (Interlocked.CompareExchange(ref _state, Armed, Running) != Running)
                {
                    return;
                }

                var remaining = _deadline - now;
                _source.CancelAfter(remaining <= 0 ? TimeSpan.FromMilliseconds(1) : Clock.GetElapsedTime(0, remaining));
            }
        }

        internal void Finish()
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Running) == Running)
            {
                return; // never armed: nothing to undo
            }

            lock (_gate)
            {
                // Armed: disarm, or replace a source that has already fired (its token stays cancelled; it is
                // left to the GC rather than disposed, as its timer callback may still be finishing).
                if (!_source.TryReset())
                {
                    _source = new CancellationTokenSource();
                }

                Generation++; // TryReset drops the source's registrations too
                _state = Idle;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _source.Dispose();
            }
        }
    }
}
