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
/// </summary>
public sealed class BackgroundRecordingSink : IAsyncDisposable
{
    private readonly RecordingWriter _writer;
    private readonly Channel<Exchange> _channel;
    private readonly Task _loop;
    private readonly TimeSpan _batchWindow;
    private readonly TimeProvider _timeProvider;
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
    /// <param name="timeProvider">Clock of the batch window (default: system).</param>
    public BackgroundRecordingSink(RecordingWriter writer, int capacity = 16 * 1024, TimeSpan batchWindow = default, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchWindow, TimeSpan.Zero);
        _writer = writer;
        _batchWindow = batchWindow;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _channel = Channel.CreateBounded<Exchange>(new BoundedChannelOptions(capacity)
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

    /// <summary>Queues one exchange; waits only when the queue is full. Never throws for a stopped sink.</summary>
    public ValueTask EnqueueAsync(Exchange exchange, CancellationToken cancellationToken = default)
    {
        if (_channel.Writer.TryWrite(exchange))
        {
            Interlocked.Increment(ref _accepted);
            return ValueTask.CompletedTask;
        }

        return WaitAndWriteAsync(exchange, cancellationToken);
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

    private async ValueTask WaitAndWriteAsync(Exchange exchange, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.Writer.WriteAsync(exchange, cancellationToken).ConfigureAwait(false);
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
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var exchange))
                {
                    await _writer.WriteAsync(exchange).ConfigureAwait(false);
                }

                await _writer.FlushAsync().ConfigureAwait(false);
                if (_batchWindow > TimeSpan.Zero && !reader.Completion.IsCompleted)
                {
                    await Task.Delay(_batchWindow, _timeProvider).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _fault = ex;
            _channel.Writer.TryComplete(ex);
            while (reader.TryRead(out _))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }
}
