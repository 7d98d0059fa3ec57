using System.Runtime.InteropServices;

namespace Reprise.Capture.Recording;

/// <summary>
/// Orders the redactions that values carried across exchanges depend on. A client can send a value back only after
/// it received the response holding it, so only a request that began after another exchange was answered can carry
/// that exchange's values (a session token, a created id); the policy learns them while it redacts that exchange.
/// Its redaction can still be running (behind a large body) when the later request is redacted: that one then waits
/// here for it, instead of finding nothing carried yet and writing the value raw. Exchanges answered after a request
/// began are never waited for, so a stream that stays open for minutes holds nothing up.
/// </summary>
internal sealed class RedactionOrder
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, TaskCompletionSource?> _running = [];
    private readonly List<Task> _waits = [];
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
            _running.Add(sequence, null);
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

        TaskCompletionSource? waiters;
        lock (_gate)
        {
            if (!_running.Remove(sequence, out waiters))
            {
                return;
            }
        }

        waiters?.TrySetResult();
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
            if (_running.Count == 0)
            {
                return Task.CompletedTask;
            }

            _waits.Clear();
            foreach (var sequence in _running.Keys)
            {
                if (sequence <= snapshot)
                {
                    // Only the slot's value changes (no insert), so the key enumeration stays valid.
                    ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(_running, sequence);
                    slot ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _waits.Add(slot.Task);
                }
            }

            var result = _waits.Count switch
            {
                0 => Task.CompletedTask,
                1 => _waits[0],
                _ => Task.WhenAll(_waits.ToArray()),
            };
            _waits.Clear();
            return result;
        }
    }
}
