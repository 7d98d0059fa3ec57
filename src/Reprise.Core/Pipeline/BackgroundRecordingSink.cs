using System.Threading.Channels;
using Reprise.Core.Model;
using Reprise.Core.Recording;

namespace Reprise.Core.Pipeline;

/// <summary>
/// Lets many concurrent producers (proxy requests) append to one <see cref="RecordingWriter"/>.
/// One owned loop drains a channel and flushes whenever the channel runs dry, so under light load
/// every exchange reaches the OS at once and under heavy load writes are batched.
/// </summary>
public sealed class BackgroundRecordingSink : IAsyncDisposable
{
    private readonly RecordingWriter _writer;
    private readonly Channel<Exchange> _channel;
    private readonly Task _loop;
    private long _accepted;

    /// <param name="writer">The writer this sink owns and disposes.</param>
    /// <param name="capacity">Bound on queued exchanges; producers wait (back-pressure) when it is reached, never drop.</param>
    public BackgroundRecordingSink(RecordingWriter writer, int capacity = 16 * 1024)
    {
        _writer = writer;
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

    /// <summary>Queues one exchange; waits only when the queue is full.</summary>
    public ValueTask EnqueueAsync(Exchange exchange, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _accepted);
        return _channel.Writer.TryWrite(exchange) ? ValueTask.CompletedTask : _channel.Writer.WriteAsync(exchange, cancellationToken);
    }

    /// <summary>Stops accepting, writes everything queued, flushes and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        finally
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var exchange))
            {
                await _writer.WriteAsync(exchange).ConfigureAwait(false);
            }

            await _writer.FlushAsync().ConfigureAwait(false);
        }
    }
}
