using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;

namespace Reprise.Core.Analysis;

/// <summary>Summarises a stream in one pass with memory bounded by the number of endpoints (capped).</summary>
public sealed class InspectSink : IExchangeSink<InspectReport>
{
    /// <summary>At most this many distinct endpoints are tracked; the rest are counted as "(other)".</summary>
    public const int MaxEndpoints = 5000;

    /// <summary>At most this many distinct trace ids are tracked for the trace counts.</summary>
    public const int MaxTraces = 1_000_000;

    /// <inheritdoc />
    public string Name => "inspect";

    /// <inheritdoc />
    public async Task<InspectReport> ConsumeAsync(IAsyncEnumerable<Exchange> input, CancellationToken cancellationToken = default)
    {
        var services = new Dictionary<string, long>(StringComparer.Ordinal);
        var methods = new Dictionary<string, long>(StringComparer.Ordinal);
        var statuses = new Dictionary<string, long>(StringComparer.Ordinal);
        var directions = new Dictionary<string, long>(StringComparer.Ordinal);
        var protocols = new Dictionary<string, long>(StringComparer.Ordinal);
        var endpoints = new Dictionary<(EndpointKey, Direction), EndpointAccumulator>();
        var traces = new Dictionary<string, bool>(StringComparer.Ordinal);
        var other = new EndpointAccumulator();
        long count = 0, requestBytes = 0, responseBytes = 0, redacted = 0, messages = 0, fromClient = 0;
        DateTimeOffset? first = null, last = null;
        var capped = false;

        await foreach (var exchange in input.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            count++;
            var key = EndpointKey.Of(exchange);
            Increment(services, key.Service);
            Increment(methods, key.Method);
            Increment(statuses, StatusClass(exchange.Response?.Status));
            Increment(directions, exchange.Direction.ToWire());
            Increment(protocols, exchange.Protocol.ToWire());
            if (first is null || exchange.StartedAt < first) { first = exchange.StartedAt; }
            var end = exchange.StartedAt + exchange.Duration;
            if (last is null || end > last) { last = end; }
            requestBytes += exchange.Request.Body?.Size ?? 0;
            responseBytes += exchange.Response?.Body?.Size ?? 0;
            if (!exchange.Redactions.IsDefaultOrEmpty) { redacted++; }
            if (!exchange.Messages.IsDefaultOrEmpty)
            {
                messages += exchange.Messages.Length;
                foreach (var message in exchange.Messages)
                {
                    if (message.From == WebSocketPeer.Client) { fromClient++; }
                }
            }

            if (exchange.TraceId is { } traceId && (traces.Count < MaxTraces || traces.ContainsKey(traceId)))
            {
                traces.TryGetValue(traceId, out var hasOutbound);
                traces[traceId] = hasOutbound || exchange.Direction == Direction.Outbound;
            }

            if (!endpoints.TryGetValue((key, exchange.Direction), out var accumulator))
            {
                if (endpoints.Count >= MaxEndpoints)
                {
                    capped = true;
                    accumulator = other;
                }
                else
                {
                    accumulator = new EndpointAccumulator();
                    endpoints[(key, exchange.Direction)] = accumulator;
                }
            }

            accumulator.Add(exchange);
        }

        var rows = endpoints
            .Select(pair => pair.Value.ToRow(pair.Key.Item1, pair.Key.Item2))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Service, StringComparer.Ordinal).ThenBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();
        if (capped)
        {
            rows.Add(other.ToRow(new EndpointKey("*", "*", "(other)", null), Direction.Inbound));
        }

        return new InspectReport
        {
            Exchanges = count,
            First = first,
            Last = last,
            Services = Rows(services),
            Methods = Rows(methods),
            StatusClasses = Rows(statuses),
            Directions = Rows(directions),
            Protocols = Rows(protocols),
            Endpoints = rows,
            RequestBodyBytes = requestBytes,
            ResponseBodyBytes = responseBytes,
            Traces = traces.Count,
            TracesWithDependencyCalls = traces.Values.Count(v => v),
            Redacted = redacted,
            WebSocketMessages = messages,
            WebSocketMessagesFromClient = fromClient,
            EndpointsCapped = capped,
        };
    }

    /// <summary>"2xx".."5xx", or "error" when there was no response.</summary>
    public static string StatusClass(int? status) => status is { } s ? $"{s / 100}xx" : "error";

    private static void Increment(Dictionary<string, long> map, string key) =>
        map[key] = map.TryGetValue(key, out var n) ? n + 1 : 1;

    private static List<CountRow> Rows(Dictionary<string, long> map) =>
        [.. map.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => new CountRow(p.Key, p.Value))];

    /// <summary>A GraphQL operation answered 2xx with a non-empty top-level <c>errors</c> list (GraphQL reports failures so).</summary>
    private static bool GraphQlFailed(Exchange exchange) =>
        exchange.Response is { Body: { Content.IsEmpty: false } body } response
        && response.Status is >= 200 and < 300
        && Protocols.GraphQlErrors.IsGraphQl(exchange)
        && Protocols.GraphQlErrors.HasErrors(response.Status, body.Content.Span);

    private sealed class EndpointAccumulator
    {
        private readonly LatencyHistogram _latency = new();
        private readonly Dictionary<string, long> _statuses = new(StringComparer.Ordinal);
        private long _count, _errors, _requestBytes, _responseBytes;

        public void Add(Exchange exchange)
        {
            _count++;
            if (!exchange.Tags.ContainsKey(WellKnownTags.DurationUnknown))
            {
                _latency.Record(exchange.Duration);
            }
            if (exchange.Response is null || exchange.Response.Status >= 500 || exchange.Error is not null || GraphQlFailed(exchange))
            {
                _errors++;
            }

            Increment(_statuses, exchange.Response?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "error");
            _requestBytes += exchange.Request.Body?.Size ?? 0;
            _responseBytes += exchange.Response?.Body?.Size ?? 0;
        }

        /// <summary>A latency figure, or NaN when no exchange of the endpoint said how long it took.</summary>
        private double Known(double ms) => _latency.Count > 0 || _count == 0 ? ms : double.NaN;

        public EndpointRow ToRow(EndpointKey key, Direction direction) => new(
            key.Service, key.Method, key.Template, key.Operation, direction.ToWire(), _count, _errors,
            Known(_latency.PercentileMs(50)), Known(_latency.PercentileMs(95)), Known(_latency.PercentileMs(99)), Known(_latency.MaxMs),
            _requestBytes, _responseBytes, Rows(_statuses));
    }
}
