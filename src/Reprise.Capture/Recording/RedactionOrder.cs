namespace Reprise.Capture.Recording;

/// <summary>
/// Orders the redactions that values carried across exchanges depend on. A client can send a value back only after
/// it received the response holding it, so only a request that began after another exchange was answered can carry
/// that exchange's values (a session token, a created id); the policy learns them while it redacts that exchange.
/// Its redaction can still be running (behind a large body) when the later request is redacted: that one then waits
/// here for it, instead of finding nothing carried yet and writing the value raw. Exchanges answered after a request
/// began are never waited for, so a stream that stays open for minutes holds nothing up. Sequences are handed out in
/// order, so "every exchange answered up to the snapshot is done" is "the lowest one still running is above it": each
/// call is O(log n) in the exchanges being redacted, whatever the backlog.
/// </summary>
internal sealed class RedactionOrder
{
    private readonly Lock _gate = new();
    private readonly SortedSet<long> _running = [];
    private readonly PriorityQueue<TaskCompletionSource, long> _waiters = new();
    private long _answered;

    /// <summary>The number of exchanges answered so far: a request beginning now may carry values of each of them.</summary>
    public long Snapshot()
    {
        lock (_gate)
        {
            return _answered;
        }
    }

    /// <summary>An exchange was answered (its client may have its response): its redaction is running until <see cref="Done"/>.</summary>
    public long Answered()
    {
        lock (_gate)
        {
            var sequence = ++_answered;
            _running.Add(sequence);
            return sequence;
        }
    }

    /// <summary>The redaction of answered exchange <paramref name="sequence"/> is done (or will not happen). Idempotent.</summary>
    public void Done(long sequence)
    {
        if (sequence <= 0)
        {
            return;
        }

        List<TaskCompletionSource>? released = null;
        lock (_gate)
        {
            if (!_running.Remove(sequence))
            {
                return;
            }

            var lowest = Lowest();
            while (_waiters.TryPeek(out var waiter, out var snapshot) && snapshot < lowest)
            {
                _waiters.Dequeue();
                (released ??= []).Add(waiter);
            }
        }

        foreach (var waiter in released ?? [])
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Completes when every exchange answered up to <paramref name="snapshot"/> is done redacting.</summary>
    public Task WaitAsync(long snapshot)
    {
        if (snapshot <= 0)
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            if (Lowest() > snapshot)
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter, snapshot);
            return waiter.Task;
        }
    }

    private long Lowest() => _running.Count == 0 ? long.MaxValue : _running.Min;
}
