using Reprise.Core.Model;

namespace Reprise.Core.Pipeline;

/// <summary>
/// Puts exchanges that complete out of order back into the order they started, within a bound.
/// Each exchange carries a ticket taken when its request started (1, 2, 3, ...); an exchange is released
/// as soon as every earlier ticket has been released or given up (<c>null</c> exchange: sampled out,
/// redaction failed). An exchange waits for an earlier request still in flight at most
/// <see cref="Window"/> after it arrived, and at most <see cref="Capacity"/> exchanges wait at once:
/// past either bound the earlier tickets are given up and written when they come (a long SSE or
/// long-poll request, overlapping everything behind it, never holds the recording back for longer).
/// Single-threaded: owned by the one loop of <see cref="BackgroundRecordingSink"/>.
/// </summary>
internal sealed class StartOrderBuffer
{
    private readonly PriorityQueue<Exchange?, long> _held = new();
    private readonly Queue<(long Ticket, long Arrived)> _arrivals = new();
    private readonly TimeProvider _time;
    private long _next = 1;

    public StartOrderBuffer(TimeSpan window, int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Window = window;
        Capacity = capacity;
        _time = time;
    }

    /// <summary>Longest an exchange waits for an earlier-started one.</summary>
    public TimeSpan Window { get; }

    /// <summary>Most exchanges held at once.</summary>
    public int Capacity { get; }

    /// <summary>Exchanges (and given-up tickets) held now.</summary>
    public int Count => _held.Count;

    /// <summary>
    /// Takes the outcome of ticket <paramref name="ticket"/> (<paramref name="exchange"/> null: nothing to
    /// write) and appends to <paramref name="ready"/>, in start order, every exchange that may be written now.
    /// </summary>
    public void Offer(Exchange? exchange, long ticket, List<Exchange> ready)
    {
        if (ticket <= _next)
        {
            // The next one in order, or one whose turn was given up (write it now: it overlapped those before it).
            if (exchange is not null)
            {
                ready.Add(exchange);
            }

            if (ticket == _next)
            {
                _next++;
                ReleaseConsecutive(ready);
            }

            return;
        }

        _held.Enqueue(exchange, ticket);
        _arrivals.Enqueue((ticket, _time.GetTimestamp()));
        if (_held.Count > Capacity)
        {
            DropArrivalsBehind();
            ReleaseThrough(_arrivals.Peek().Ticket, ready);
        }
    }

    /// <summary>Releases what has waited <see cref="Window"/>; returns how long until the next release is due (null: nothing held).</summary>
    public TimeSpan? Expire(List<Exchange> ready)
    {
        var now = _time.GetTimestamp();
        while (true)
        {
            DropArrivalsBehind();
            if (!_arrivals.TryPeek(out var oldest))
            {
                return null;
            }

            var waited = _time.GetElapsedTime(oldest.Arrived, now);
            if (waited < Window)
            {
                return Window - waited;
            }

            ReleaseThrough(oldest.Ticket, ready);
        }
    }

    /// <summary>Releases everything held, in start order (shutdown).</summary>
    public void ReleaseAll(List<Exchange> ready)
    {
        while (_held.TryDequeue(out var exchange, out var ticket))
        {
            if (exchange is not null)
            {
                ready.Add(exchange);
            }

            _next = Math.Max(_next, ticket + 1);
        }

        _arrivals.Clear();
    }

    /// <summary>Gives up every missing ticket up to <paramref name="ticket"/> and releases the held ones up to it.</summary>
    private void ReleaseThrough(long ticket, List<Exchange> ready)
    {
        while (_held.TryPeek(out var exchange, out var held) && held <= ticket)
        {
            _held.Dequeue();
            if (exchange is not null)
            {
                ready.Add(exchange);
            }
        }

        _next = Math.Max(_next, ticket + 1);
        ReleaseConsecutive(ready);
    }

    private void ReleaseConsecutive(List<Exchange> ready)
    {
        while (_held.TryPeek(out var exchange, out var ticket) && ticket <= _next)
        {
            _held.Dequeue();
            if (exchange is not null)
            {
                ready.Add(exchange);
            }

            _next = Math.Max(_next, ticket + 1);
        }

        if (_held.Count == 0)
        {
            _arrivals.Clear(); // every arrival recorded was released
        }
    }

    /// <summary>Arrival records of tickets already released are dropped lazily, here.</summary>
    private void DropArrivalsBehind()
    {
        while (_arrivals.TryPeek(out var oldest) && oldest.Ticket < _next)
        {
            _arrivals.Dequeue();
        }
    }
}
