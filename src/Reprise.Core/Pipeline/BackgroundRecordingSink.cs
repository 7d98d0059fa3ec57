using System.Threading.Channels;
using Reprise.Core.Model;
using Reprise.Core.Recording;

namespace Reprise.Core.Pipeline;

/// <summary>
/// Lets many concurrent producers (proxy requests) append to one <see cref="RecordingWriter"/>.
/// One owned loop drains a channel and flushes whenever the channel runs dry, so under light load
/// every exchange reaches the OS at once and under heavy load writes are batched.
/// If writing fails (disk full), the sink stops accepting: producers never block or throw, the
/// exchanges they offer are counted in <see cref="Dropped"/>, and <see cref="Fault"/> says why.
/// With a reorder window, exchanges are written in the order their requests started (<see cref="BeginExchange"/>)
/// rather than the order they completed, within that bound (see <see cref="StartOrderBuffer"/>).
/// </summary>
public sealed class BackgroundRecordingSink : IAsyncDisposable
{
    private readonly RecordingWriter _writer;
    private readonly Channel<Entry> _channel;
    private readonly Task _loop;
    private readonly TimeSpan _batchWindow;
    private readonly TimeProvider _timeProvider;
    private readonly StartOrderBuffer? _order;
    private readonly List<Exchange> _ready = [];
    private long _tickets;
    private long _accepted;
    private long _dropped;
    private volatile Exception? _fault;

    /// <param name="writer">The writer this sink owns and disposes.</param>
    /// <param name="capacity">Bound on queued exchanges; producers wait (back-pressure) when it is reached, never drop.</param>
    /// <param name="batchWindow">
    /// After each flush, how long the loop lets exchanges gather before it looks again (zero: wake for every
    /// exchange). A busy proxy sets a millisecond or so: one wake-up and one write per window instead of one
    /// per exchange, at the price of that much delay before an exchange reaches the OS.
    /// </param>
    /// <param name="timeProvider">Clock of the batch and reorder windows (default: system).</param>
    /// <param name="reorderWindow">
    /// Zero: write in the order exchanges are queued. Positive: write ticketed exchanges (<see cref="BeginExchange"/>)
    /// in ticket order, holding one that completed before an earlier-started one for at most this long.
    /// </param>
    /// <param name="reorderCapacity">Most exchanges held for reordering at once (bounds memory).</param>
    public BackgroundRecordingSink(RecordingWriter writer, int capacity = 16 * 1024, TimeSpan batchWindow = default, TimeProvider? timeProvider = null, TimeSpan reorderWindow = default, int reorderCapacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchWindow, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(reorderWindow, TimeSpan.Zero);
        _writer = writer;
        _batchWindow = batchWindow;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _order = reorderWindow > TimeSpan.Zero ? new StartOrderBuffer(reorderWindow, reorderCapacity, _timeProvider) : null;
        _channel = Channel.CreateBounded<Entry>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Exchanges accepted so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Exchanges written to the file so far.</summary>
    public long Written => _writer.Count;

    /// <summary>Exchanges offered after the sink stopped (write failure or shutdown), so not written.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Why writing stopped, or null while healthy.</summary>
    public Exception? Fault => _fault;

    /// <summary>
    /// Takes the start-order ticket of a request that is starting (0 without a reorder window). Every ticket
    /// must end in <see cref="EnqueueAsync(Exchange, long, CancellationToken)"/> or <see cref="Skip"/>;
    /// one that never does only delays the exchanges behind it by the reorder window.
    /// </summary>
    public long BeginExchange() => _order is null ? 0 : Interlocked.Increment(ref _tickets);

    /// <summary>Queues one exchange, written in queue order; waits only when the queue is full. Never throws for a stopped sink.</summary>
    public ValueTask EnqueueAsync(Exchange exchange, CancellationToken cancellationToken = default) =>
        EnqueueAsync(exchange, 0, cancellationToken);

    /// <summary>Queues the exchange of <paramref name="ticket"/> (from <see cref="BeginExchange"/>); waits only when the queue is full.</summary>
    public ValueTask EnqueueAsync(Exchange exchange, long ticket, CancellationToken cancellationToken = default)
    {
        var entry = new Entry(exchange, ticket);
        if (_channel.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _accepted);
            return ValueTask.CompletedTask;
        }

        return WaitAndWriteAsync(entry, cancellationToken);
    }

    /// <summary>Says the request of <paramref name="ticket"/> will not be written (filtered, sampled out, failed), so those behind it need not wait.</summary>
    public void Skip(long ticket)
    {
        // A full queue drops the note: the exchanges behind it then wait the reorder window, nothing is lost.
        if (ticket != 0)
        {
            _channel.Writer.TryWrite(new Entry(null, ticket));
        }
    }

    /// <summary>Stops accepting, writes everything queued, flushes and completes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        if (_fault is null)
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        else
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops without completing the file: an atomic writer that was never moved into place deletes its
    /// temporary file (a recorder that failed to start leaves any existing recording untouched).
    /// </summary>
    public async ValueTask AbandonAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask WaitAndWriteAsync(Entry entry, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.Writer.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _accepted);
        }
        catch (ChannelClosedException)
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        try
        {
            while (await WaitToReadAsync(reader).ConfigureAwait(false))
            {
                while (reader.TryRead(out var entry))
                {
                    if (_order is null)
                    {
                        await _writer.WriteAsync(entry.Exchange!).ConfigureAwait(false);
                        continue;
                    }

                    _order.Offer(entry.Exchange, entry.Ticket, _ready);
                    await WriteReadyAsync().ConfigureAwait(false);
                }

                if (_order is { Count: > 0 })
                {
                    _order.Expire(_ready);
                    await WriteReadyAsync().ConfigureAwait(false);
                }

                await _writer.FlushAsync().ConfigureAwait(false);
                if (_batchWindow > TimeSpan.Zero && !reader.Completion.IsCompleted)
                {
                    await Task.Delay(_batchWindow, _timeProvider).ConfigureAwait(false);
                }
            }

            if (_order is { Count: > 0 })
            {
                _order.ReleaseAll(_ready);
                await WriteReadyAsync().ConfigureAwait(false);
                await _writer.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _fault = ex;
            _channel.Writer.TryComplete(ex);
            Interlocked.Add(ref _dropped, _ready.Count);
            _ready.Clear();
            if (_order is not null)
            {
                _order.ReleaseAll(_ready);
                Interlocked.Add(ref _dropped, _ready.Count);
                _ready.Clear();
            }

            while (reader.TryRead(out var entry))
            {
                if (entry.Exchange is not null)
                {
                    Interlocked.Increment(ref _dropped);
                }
            }
        }
    }

    /// <summary>Waits for more to write; while exchanges are held for reordering, no longer than the earliest is due.</summary>
    private ValueTask<bool> WaitToReadAsync(ChannelReader<Entry> reader) =>
        _order is { Count: > 0 } && !reader.TryPeek(out _) ? WaitOrExpireAsync(reader) : reader.WaitToReadAsync();

    private async ValueTask<bool> WaitOrExpireAsync(ChannelReader<Entry> reader)
    {
        var due = _order!.Expire(_ready);
        if (_ready.Count > 0)
        {
            // Released while the loop was idle (e.g. during the batch window): they must reach the OS before an
            // indefinite wait, or a proxy that then goes quiet keeps them in the writer's buffer.
            await WriteReadyAsync().ConfigureAwait(false);
            await _writer.FlushAsync().ConfigureAwait(false);
        }

        if (due is not { } wait)
        {
            return await reader.WaitToReadAsync().ConfigureAwait(false);
        }

        using var timeout = new CancellationTokenSource(wait, _timeProvider);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return true; // due: the loop releases what waited long enough, then waits again
        }
    }

    private async ValueTask WriteReadyAsync()
    {
        if (_ready.Count == 0)
        {
            return;
        }

        for (var i = 0; i < _ready.Count; i++)
        {
            await _writer.WriteAsync(_ready[i]).ConfigureAwait(false);
        }

        _ready.Clear();
    }

    /// <summary>A queued exchange, or (null) a ticket that will have none; ticket 0: not ordered.</summary>
    private readonly record struct Entry(Exchange? Exchange, long Ticket);
}
