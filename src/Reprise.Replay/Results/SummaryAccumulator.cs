using System.Collections.Concurrent;
using Reprise.Core.Analysis;
using Reprise.Core.Model;
using Reprise.Replay.Correlation;

namespace Reprise.Replay.Results;

/// <summary>Collects outcomes while a run goes (thread-safe), or from a results file (merge).</summary>
public sealed class SummaryAccumulator
{
    private readonly long[] _errors = new long[Enum.GetValues<ExchangeErrorKind>().Length];
    private long _minStart = long.MaxValue;
    private long _maxEnd = long.MinValue;

    /// <summary>From the earliest result's start to the latest result's end (results read back from files).</summary>
    public TimeSpan ObservedSpan => _maxEnd > _minStart ? TimeSpan.FromTicks(_maxEnd - _minStart) : TimeSpan.Zero;

    /// <summary>Per-endpoint stats, shared with the request templates.</summary>
    internal ConcurrentDictionary<EndpointKey, EndpointStats> Endpoints { get; } = new();

    /// <summary>Requests completed so far (counted by the endpoints, so a request updates no counter shared by all).</summary>
    public long Sent
    {
        get
        {
            var status = new long[6];
            long sent = 0;
            foreach (var (_, stats) in Endpoints)
            {
                sent += stats.AddTotals(status);
            }

            return sent;
        }
    }

    /// <summary>Errors so far.</summary>
    public long ErrorCount
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _errors.Length; i++)
            {
                total += Interlocked.Read(ref _errors[i]);
            }

            return total;
        }
    }

    /// <summary>Records one outcome against its endpoint.</summary>
    public void Record(EndpointStats endpoint, int? status, ExchangeErrorKind? error, TimeSpan latency)
    {
        if (error is { } kind)
        {
            Interlocked.Increment(ref _errors[(int)kind]);
        }

        endpoint.Record(error is null ? status : null, latency);
    }

    /// <summary>Records a result exchange read back from a file (merge): latency = Duration + <see cref="ReplayTags.DelayMicros"/>.</summary>
    public void Record(Exchange result)
    {
        var latency = result.Duration;
        if (result.Tags.TryGetValue(ReplayTags.DelayMicros, out var delay) && long.TryParse(delay, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var micros))
        {
            latency += TimeSpan.FromTicks(micros * 10);
        }

        _minStart = Math.Min(_minStart, result.StartedAt.UtcTicks);
        _maxEnd = Math.Max(_maxEnd, (result.StartedAt + result.Duration).UtcTicks);
        var key = EndpointKey.Of(result);
        if (result.Tags.TryGetValue(ReplayTags.EndpointTemplate, out var template))
        {
            key = key with { Template = template };
        }

        var stats = Endpoints.GetOrAdd(key, static k => new EndpointStats(k));
        Record(stats, result.Response?.Status, result.Response is null ? result.Error?.Kind ?? ExchangeErrorKind.Other : null, latency);
        if (result.Response is { Body: { } body } response && Core.Protocols.GraphQlErrors.IsGraphQl(result) && Core.Protocols.GraphQlErrors.HasErrors(response.Status, body.Content.Span))
        {
            stats.RecordGraphQlError();
        }
    }

    /// <summary>The overall p99 so far, in milliseconds (for live progress).</summary>
    public double P99Ms()
    {
        var all = new LatencyHistogram();
        foreach (var (_, stats) in Endpoints)
        {
            all.Add(stats.Latency());
        }

        return all.PercentileMs(99);
    }

    /// <summary>The summary as of now.</summary>
    public ReplaySummary Build(string runId, TimeSpan elapsed, IReadOnlyList<CorrelationRuleReport> correlation, long skippedOutbound, long sessions, TimeSpan timeShift)
    {
        var errors = new Dictionary<ExchangeErrorKind, long>();
        foreach (var kind in Enum.GetValues<ExchangeErrorKind>())
        {
            var count = Interlocked.Read(ref _errors[(int)kind]);
            if (count > 0)
            {
                errors[kind] = count;
            }
        }

        var endpoints = new List<EndpointStats>(Endpoints.Values);
        endpoints.RemoveAll(e => e.Count == 0);
        endpoints.Sort((a, b) => b.Count != a.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Endpoint.ToString(), b.Endpoint.ToString()));
        var status = new long[6];
        long sent = 0;
        foreach (var stats in endpoints)
        {
            sent += stats.AddTotals(status);
        }

        long graphQlErrors = 0;
        foreach (var stats in endpoints)
        {
            graphQlErrors += stats.GraphQlErrors;
        }

        long errorTotal = 0;
        foreach (var (_, c) in errors)
        {
            errorTotal += c;
        }

        return new ReplaySummary
        {
            RunId = runId,
            Elapsed = elapsed,
            Sent = sent,
            Responses = sent - errorTotal,
            ErrorsByKind = errors,
            GraphQlErrors = graphQlErrors,
            StatusClasses = status,
            Endpoints = endpoints,
            Correlation = correlation,
            SkippedOutbound = skippedOutbound,
            Sessions = sessions,
            TimeShift = timeShift,
        };
    }
}
