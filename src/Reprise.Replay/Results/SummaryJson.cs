using System.Text.Json;
using Reprise.Core.Recording;

namespace Reprise.Replay.Results;

/// <summary>Writes a <see cref="ReplaySummary"/> as JSON (<c>--summary-json</c>).</summary>
public static class SummaryJson
{
    /// <summary>Writes the summary to a stream.</summary>
    public static void Write(ReplaySummary summary, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("run", summary.RunId);
        json.WriteNumber("elapsedSeconds", Math.Round(summary.Elapsed.TotalSeconds, 3));
        json.WriteNumber("sent", summary.Sent);
        json.WriteNumber("responses", summary.Responses);
        json.WriteNumber("errors", summary.Errors);
        json.WriteNumber("graphqlErrors", summary.GraphQlErrors);
        json.WriteNumber("rps", Math.Round(summary.RequestsPerSecond, 1));
        json.WriteNumber("sessions", summary.Sessions);
        json.WriteNumber("skippedOutbound", summary.SkippedOutbound);
        json.WriteNumber("skippedTruncated", summary.SkippedTruncated);
        json.WriteNumber("skippedWebSocket", summary.SkippedWebSocket);
        json.WriteNumber("timeShiftSeconds", Math.Round(summary.TimeShift.TotalSeconds, 3));
        json.WriteStartObject("errorsByKind");
        foreach (var (kind, count) in summary.ErrorsByKind)
        {
            json.WriteNumber(kind.ToWire(), count);
        }

        json.WriteEndObject();
        json.WriteStartObject("statusClasses");
        for (var i = 1; i <= 5; i++)
        {
            json.WriteNumber($"{i}xx", summary.StatusClasses[i]);
        }

        json.WriteEndObject();
        WriteLatency(json, "latencyMs", summary.Overall());
        json.WriteStartArray("endpoints");
        foreach (var endpoint in summary.Endpoints)
        {
            json.WriteStartObject();
            json.WriteString("endpoint", endpoint.Endpoint.ToString());
            json.WriteString("service", endpoint.Endpoint.Service);
            json.WriteNumber("count", endpoint.Count);
            json.WriteNumber("errors", endpoint.Errors);
            json.WriteNumber("graphqlErrors", endpoint.GraphQlErrors);
            json.WriteNumber("2xx", endpoint.StatusClass(2));
            json.WriteNumber("3xx", endpoint.StatusClass(3));
            json.WriteNumber("4xx", endpoint.StatusClass(4));
            json.WriteNumber("5xx", endpoint.StatusClass(5));
            WriteLatency(json, "latencyMs", endpoint.Latency());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("correlation");
        foreach (var rule in summary.Correlation)
        {
            json.WriteStartObject();
            json.WriteString("rule", rule.Name);
            json.WriteString("extractedFrom", rule.ExtractedFrom);
            json.WriteString("substitutedInto", rule.SubstitutedInto);
            json.WriteNumber("applied", rule.Applied);
            json.WriteBoolean("manual", rule.Manual);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteLatency(Utf8JsonWriter json, string name, Core.Analysis.LatencyHistogram latency)
    {
        json.WriteStartObject(name);
        json.WriteNumber("p50", latency.PercentileMs(50));
        json.WriteNumber("p90", latency.PercentileMs(90));
        json.WriteNumber("p95", latency.PercentileMs(95));
        json.WriteNumber("p99", latency.PercentileMs(99));
        json.WriteNumber("max", latency.MaxMs);
        json.WriteNumber("mean", Math.Round(latency.MeanMs, 3));
        json.WriteEndObject();
    }
}
