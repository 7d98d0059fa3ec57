using System.Collections.Immutable;
using Reprise.Core.Model;
using Reprise.Core.Text;
using Reprise.Core.Transforms;
using Reprise.Replay.Correlation;
using Reprise.Replay.Engine;
using Reprise.Replay.Http;
using Reprise.Replay.WebSockets;
using Reprise.Replay.Results;

namespace Reprise.Replay;

/// <summary>
/// Replays recorded inbound exchanges against a target and reports per-endpoint latency, errors and
/// correlation. The composable entry point for <c>reprise replay</c> and <c>reprise test</c>:
/// <code>
/// var summary = await Replayer.RunAsync(options, recording.ReadAsync(ct), sink, ct);
/// </code>
/// </summary>
public sealed class Replayer
{
    private readonly ReplayOptions _options;
    private readonly SummaryAccumulator _summary = new();
    private Dispatcher? _dispatcher;

    /// <summary>Creates a replayer; throws <see cref="ArgumentException"/> listing every invalid option.</summary>
    public Replayer(ReplayOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _options = options;
    }

    /// <summary>A live snapshot (safe to call from another thread while the run goes).</summary>
    public ReplayProgress Progress => new(
        _dispatcher is { StartTimestamp: > 0 } d ? _options.TimeProvider.GetElapsedTime(d.StartTimestamp) : TimeSpan.Zero,
        _summary.Sent,
        _summary.ErrorCount,
        _summary.P99Ms());

    /// <summary>
    /// Replays <paramref name="recorded"/> (outbound exchanges are skipped) in the order the requests started
    /// (<see cref="StartOrderTransform"/>: file order where it agrees) and writes one result per request to <paramref name="sink"/>. With <see cref="ReplayOptions.Duration"/> the sequence is
    /// enumerated again for each loop, so it must be re-enumerable (a <c>RecordingReader</c> is).
    /// </summary>
    /// <exception cref="ReplayInputException">No inbound exchanges.</exception>
    /// <exception cref="ReplayTargetUnreachableException">The target refused or did not answer the connect check.</exception>
    /// <exception cref="TokenCommandException">The token command failed before the run.</exception>
    public static Task<ReplaySummary> RunAsync(ReplayOptions options, IAsyncEnumerable<Exchange> recorded, IReplayResultSink sink, CancellationToken cancellationToken = default) =>
        new Replayer(options).RunAsync(recorded, sink, cancellationToken);

    /// <inheritdoc cref="RunAsync(ReplayOptions, IAsyncEnumerable{Exchange}, IReplayResultSink, CancellationToken)"/>
    public async Task<ReplaySummary> RunAsync(IAsyncEnumerable<Exchange> recorded, IReplayResultSink sink, CancellationToken cancellationToken = default)
    {
        var correlationStats = new CorrelationStats();
        var correlator = new Correlator(_options.AutoCorrelation, _options.CorrelationRules, correlationStats, _options.Tokens);
        var templates = new TemplateBuilder(_options, _summary.Endpoints);
        using var invoker = ReplayHttp.CreateInvoker(_options);
        IReplayTransport transport = new HttpClientTransport(invoker, _options);
        using var raw = RawHttpTransport.Supports(_options) ? new RawHttpTransport(_options, transport) : null;
        transport = raw ?? transport;
        await using var abort = cancellationToken.Register(
            static state =>
            {
                var (invoker, raw) = ((HttpMessageInvoker, RawHttpTransport?))state!;
                raw?.Dispose();
                invoker.Dispose();
            },
            (invoker, raw)).ConfigureAwait(false);
        using var webSocketInvoker = ReplayHttp.CreateWebSocketInvoker(_options);
        using var executor = new RequestExecutor(_options, transport, sink, correlator, _summary, new WebSocketSessionRunner(_options, webSocketInvoker));
        using var dispatcher = new Dispatcher(_options, templates, executor);
        _dispatcher = dispatcher;
        // Sent in the order the requests started, not file order: a recording written in completion order (by an
        // older recorder, or merged, or a HAR export) would otherwise replay a later request first. Bounded window.
        await dispatcher.RunAsync(new StartOrderTransform().TransformAsync(recorded, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (_options.Duration is { } duration)
        {
            // The duration is the run's length: sessions still open then close, rather than at their recorded end.
            executor.WrapUpAfter(duration - _options.TimeProvider.GetElapsedTime(dispatcher.StartTimestamp));
        }

        await executor.DrainAsync().ConfigureAwait(false);
        var elapsed = _options.TimeProvider.GetElapsedTime(dispatcher.StartTimestamp);
        var rules = correlationStats.Report();
        return _summary.Build(_options.RunId, elapsed, rules, dispatcher.SkippedOutbound, dispatcher.Sessions, dispatcher.TimeShift) with { SkippedTruncated = dispatcher.SkippedTruncated, SkippedWebSocket = dispatcher.SkippedWebSocket };
    }

    /// <summary>The results file's header capture settings describing this run.</summary>
    public static ImmutableSortedDictionary<string, string> DescribeRun(ReplayOptions options, string recording)
    {
        var capture = Exchange.EmptyTags
            .Add("source", "replay")
            .Add("target", options.Target.ToString())
            .Add("recording", recording)
            .Add("run", options.RunId)
            .Add("pace", options.Pacing switch
            {
                Pacing.PacingMode.Rate => "rate",
                Pacing.PacingMode.Vus => "vus",
                _ => "original",
            })
            .Add("multiplier", options.Multiplier.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("timeShift", options.TimeShift ? (options.TimeShiftBy is { } by ? DurationText.Format(by) : "auto") : "off")
            .Add("correlation", options.AutoCorrelation ? "auto" : "off");
        if (options.Pacing == Pacing.PacingMode.Original)
        {
            capture = capture.Add("speed", Engine.Dispatcher.Format(options.Speed));
        }

        if (options.Pacing == Pacing.PacingMode.Rate)
        {
            capture = capture.Add("rate", Engine.Dispatcher.Format(options.Rate));
        }

        if (options.Pacing == Pacing.PacingMode.Vus)
        {
            capture = capture.Add("vus", options.Vus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (options.Duration is { } duration)
        {
            capture = capture.Add("duration", DurationText.Format(duration));
        }

        if (options.Ramp is { } ramp)
        {
            capture = capture.Add("ramp", ramp.ToString());
        }

        if (options.Shard is { } shard)
        {
            capture = capture.Add("shard", shard.ToString());
        }

        return capture;
    }
}
