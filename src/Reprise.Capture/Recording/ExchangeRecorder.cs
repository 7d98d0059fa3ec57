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

    public ExchangeRecorder(BackgroundRecordingSink sink, IExchangeRedactor redactor, CaptureOptions options, CaptureStats stats, ILogger logger)
    {
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
    /// Called when a request to be captured starts: its place in the recording's start order. Pass it to
    /// <see cref="RecordAsync(Exchange, long, CancellationToken)"/>, or to <see cref="Abandon"/> when no exchange will come.
    /// </summary>
    public long Begin() => _sink.BeginExchange();

    /// <summary>The request of <paramref name="ticket"/> ends without an exchange (it failed before one was built).</summary>
    public void Abandon(long ticket) => _sink.Skip(ticket);

    /// <summary>Samples, tags, redacts and queues one exchange that had no <see cref="Begin"/> (written when it completes).</summary>
    public ValueTask RecordAsync(Exchange exchange, CancellationToken cancellationToken = default) =>
        RecordAsync(exchange, 0, cancellationToken);

    /// <summary>Samples, tags, redacts and queues one exchange, in start order by <paramref name="ticket"/> from <see cref="Begin"/>.</summary>
    public ValueTask RecordAsync(Exchange exchange, long ticket, CancellationToken cancellationToken = default)
    {
        if (!_sample.Keeps(exchange))
        {
            Stats.AddSkipped();
            _sink.Skip(ticket);
            return ValueTask.CompletedTask;
        }

        var bytes = (exchange.Request.Body?.Size ?? 0) + (exchange.Response?.Body?.Size ?? 0);
        Exchange redacted;
        try
        {
            redacted = _redactor.Redact(ProtocolClassifier.Classify(exchange));
        }
#pragma warning disable CA1031 // a failing redactor must not take the proxy down; the exchange is dropped, never stored raw
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Stats.AddDropped();
            _sink.Skip(ticket);
            CaptureLog.RedactionFailed(_logger, _redactor.PolicyName, exchange.Id, ex.GetType().Name);
            return ValueTask.CompletedTask;
        }

        Stats.AddExchange(bytes, exchange.Error is not null);
        return _sink.EnqueueAsync(redacted, ticket, cancellationToken);
    }
}
