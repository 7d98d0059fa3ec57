using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Protocols;
using Reprise.Core.Transforms;

namespace Reprise.Capture.Recording;

/// <summary>
/// The last step before disk for every live exchange: path filters and sampling, protocol tagging,
/// redaction (no path around it), then the background sink. A redactor that throws drops that exchange
/// (counted and logged), it is never written unredacted.
/// </summary>
public sealed class ExchangeRecorder
{
    private readonly BackgroundRecordingSink _sink;
    private readonly IExchangeRedactor _redactor;
    private readonly CaptureOptions _options;
    private readonly SampleTransform _sample;
    private readonly ILogger _logger;
    private readonly RedactionOrder _order = new();
    private readonly ConcurrentDictionary<Task, byte> _background = new();

    /// <summary>Recordings waiting on earlier redactions off the request path at most; beyond, the request handler waits.</summary>
    private const int MaxBackground = 4096;
    private readonly TimeProvider _time;

    /// <summary>How long a redaction waits at most for earlier ones (see <see cref="RecordAsync(Exchange, CaptureTicket, CancellationToken)"/>).</summary>
    internal static readonly TimeSpan OrderWaitLimit = TimeSpan.FromSeconds(10);

    public ExchangeRecorder(BackgroundRecordingSink sink, IExchangeRedactor redactor, CaptureOptions options, CaptureStats stats, ILogger logger, TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _sink = sink;
        _redactor = redactor;
        _options = options;
        _sample = new SampleTransform(options.SampleRate, options.SampleSeed);
        Stats = stats;
        _logger = logger;
    }

    /// <summary>The live counters.</summary>
    public CaptureStats Stats { get; }

    /// <summary>The capture settings.</summary>
    public CaptureOptions Options => _options;

    /// <summary>False when path filters exclude this request (it is then forwarded without capturing bodies).</summary>
    public bool ShouldCapture(PathString path)
    {
        var value = path.Value ?? "/";
        if (PathGlob.AnyMatch(_options.ExcludePaths, value) || (_options.IncludePaths.Count > 0 && !PathGlob.AnyMatch(_options.IncludePaths, value)))
        {
            Stats.AddSkipped();
            return false;
        }

        return true;
    }

    /// <summary>
    /// Called when a request to be captured starts: its place in the recording's start order, and the exchanges
    /// answered before it (whose redactions its own waits for). Pass it to <see cref="Answered"/> when its response is
    /// done, then to <see cref="RecordAsync(Exchange, CaptureTicket, CancellationToken)"/>, or to <see cref="Abandon"/>
    /// when no exchange will come.
    /// </summary>
    public CaptureTicket Begin() => new(_sink.BeginExchange(), _order.Snapshot());

    /// <summary>
    /// The response of <paramref name="ticket"/> is complete, or is about to be: its client may send values from it in
    /// requests that begin from now on, and their redaction waits for this one's. Idempotent.
    /// </summary>
    public void Answered(CaptureTicket ticket)
    {
        if (ticket.Sequence == 0)
        {
            ticket.Sequence = _order.Answered();
        }
    }

    /// <summary>The request of <paramref name="ticket"/> ends without an exchange (it failed before one was built).</summary>
    public void Abandon(CaptureTicket ticket)
    {
        _order.Done(ticket.Sequence);
        _sink.Skip(ticket.Order);
    }

    /// <summary>Samples, tags, redacts and queues one exchange that had no <see cref="Begin"/> (written when it completes).</summary>
    public ValueTask RecordAsync(Exchange exchange, CancellationToken cancellationToken = default) =>
        RecordAsync(exchange, new CaptureTicket(0, 0), cancellationToken);

    /// <summary>
    /// Samples, tags, redacts and queues one exchange, in start order by <paramref name="ticket"/> from <see cref="Begin"/>.
    /// Its redaction first waits for those of the exchanges answered before it began that are still running: the
    /// policy may carry values it learns from them into this one (a token the client got and sent back).
    /// </summary>
    public ValueTask RecordAsync(Exchange exchange, CaptureTicket ticket, CancellationToken cancellationToken = default)
    {
        var earlier = _order.WaitAsync(ticket.Snapshot);
        if (earlier.IsCompleted)
        {
            return RedactAndQueueAsync(exchange, ticket, cancellationToken);
        }

        var work = WaitThenRedactAsync(earlier, exchange, ticket, cancellationToken);
        if (_background.Count >= MaxBackground)
        {
            return work; // a backlog this large: the request handler waits (back-pressure), as for a full sink
        }

        // Off the request path: the next request on this client's connection must not wait for other exchanges.
        var task = work.AsTask();
        _background.TryAdd(task, 0);
        _ = task.ContinueWith(
            static (done, state) =>
            {
                ((ConcurrentDictionary<Task, byte>)state!).TryRemove(done, out _);
                _ = done.Exception; // observed: a closed sink is reported by the sink itself
            },
            _background,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits for the recordings still waiting on earlier redactions (before the sink is closed).</summary>
    public async Task DrainAsync()
    {
        while (!_background.IsEmpty)
        {
            try
            {
                await Task.WhenAll(_background.Keys).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // each failure was observed by its continuation; draining goes on
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private async ValueTask WaitThenRedactAsync(Task earlier, Exchange exchange, CaptureTicket ticket, CancellationToken cancellationToken)
    {
        try
        {
            // Bounded: a redaction takes milliseconds (bodies are capped by --max-body); never hold recording up for longer.
            await earlier.WaitAsync(OrderWaitLimit, _time, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            CaptureLog.RedactionOrderTimedOut(_logger, exchange.Id, (int)OrderWaitLimit.TotalSeconds);
        }

        await RedactAndQueueAsync(exchange, ticket, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask RedactAndQueueAsync(Exchange exchange, CaptureTicket ticket, CancellationToken cancellationToken)
    {
        var keep = _sample.Keeps(exchange);
        if (!keep && _redactor is NoRedaction)
        {
            Stats.AddSkipped();
            Abandon(ticket);
            return ValueTask.CompletedTask;
        }

        var bytes = (exchange.Request.Body?.Size ?? 0) + (exchange.Response?.Body?.Size ?? 0);
        Exchange redacted;
        try
        {
            // A sampled-out exchange is redacted too, and the result dropped: a token it issued that a kept request sends
            // back is then known to the policy and carried, not written raw.
            redacted = _redactor.Redact(ProtocolClassifier.Classify(exchange));
        }
#pragma warning disable CA1031 // a failing redactor must not take the proxy down; the exchange is dropped, never stored raw
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (keep)
            {
                Stats.AddDropped();
            }
            else
            {
                Stats.AddSkipped(); // sampled out anyway: redacted only to learn carried values
            }

            Abandon(ticket);
            CaptureLog.RedactionFailed(_logger, _redactor.PolicyName, exchange.Id, ex.GetType().Name);
            return ValueTask.CompletedTask;
        }

        if (!keep)
        {
            Stats.AddSkipped();
            Abandon(ticket);
            return ValueTask.CompletedTask;
        }

        _order.Done(ticket.Sequence);
        Stats.AddExchange(bytes, exchange.Error is { Kind: not ExchangeErrorKind.Canceled }); // a client that went away is no failure
        return _sink.EnqueueAsync(redacted, ticket.Order, cancellationToken);
    }
}
