using System.Globalization;
using System.Text.Json;
using Reprise.Core.Analysis;
using Spectre.Console;

namespace Reprise.Cli.Commands.Inspect;

/// <summary>Renders an <see cref="InspectReport"/> as tables or as one JSON object.</summary>
internal static class InspectRenderer
{
    public static void WriteTables(IAnsiConsole console, string path, InspectReport report, int top)
    {
        var span = report.First is { } first && report.Last is { } last
            ? $" over {Duration(report.Span)} ({first.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z to {last.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)"
            : string.Empty;
        console.MarkupLine($"[bold]{Markup.Escape(path)}[/]: {report.Exchanges:N0} exchange{(report.Exchanges == 1 ? string.Empty : "s")}{Markup.Escape(span)}");
        console.MarkupLine($"bodies: {Bytes(report.RequestBodyBytes)} sent, {Bytes(report.ResponseBodyBytes)} received; "
            + $"traces: {report.Traces:N0} ({report.TracesWithDependencyCalls:N0} with dependency calls); redacted exchanges: {report.Redacted:N0}");
        if (report.WebSocketMessages > 0)
        {
            console.MarkupLine($"websocket messages: {report.WebSocketMessages:N0} ({report.WebSocketMessagesFromClient:N0} from clients, {report.WebSocketMessages - report.WebSocketMessagesFromClient:N0} from servers)");
        }
        var summary = new Table().Border(TableBorder.Rounded).AddColumns("Direction", "Service", "Method", "Status", "Protocol");
        var rows = new[] { report.Directions, report.Services, report.Methods, report.StatusClasses, report.Protocols };
        var height = rows.Max(r => r.Count);
        for (var i = 0; i < Math.Min(height, 10); i++)
        {
            summary.AddRow(rows.Select(r => i < r.Count ? Markup.Escape($"{r[i].Name} {r[i].Count:N0}") : string.Empty).ToArray());
        }

        console.Write(summary);
        var endpoints = new Table().Border(TableBorder.Rounded).Title($"Endpoints ({report.Endpoints.Count:N0})")
            .AddColumns("Method", "Endpoint", "Service", "Dir", "Count", "Errors", "p50 ms", "p95 ms", "p99 ms", "Req bytes", "Resp bytes");
        foreach (var column in endpoints.Columns.Skip(4))
        {
            column.RightAligned();
        }

        foreach (var e in report.Endpoints.Take(top))
        {
            var name = e.Operation is null ? e.Template : $"{e.Template} ({e.Operation})";
            endpoints.AddRow(
                Markup.Escape(e.Method), Markup.Escape(name), Markup.Escape(e.Service), e.Direction[..2], e.Count.ToString("N0", CultureInfo.InvariantCulture),
                e.Errors == 0 ? "0" : $"[red]{e.Errors:N0}[/]", Ms(e.P50Ms), Ms(e.P95Ms), Ms(e.P99Ms), Bytes(e.RequestBytes), Bytes(e.ResponseBytes));
        }

        console.Write(endpoints);
        if (report.Endpoints.Count > top)
        {
            console.MarkupLine($"{report.Endpoints.Count - top:N0} more endpoints (--top N to see more, --json for all)");
        }
    }

    public static void WriteJson(TextWriter output, string path, InspectReport report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("file", path);
            w.WriteNumber("exchanges", report.Exchanges);
            if (report.First is { } first) { w.WriteString("first", first); }
            if (report.Last is { } last) { w.WriteString("last", last); }
            w.WriteNumber("spanSeconds", Math.Round(report.Span.TotalSeconds, 3));
            w.WriteNumber("requestBodyBytes", report.RequestBodyBytes);
            w.WriteNumber("responseBodyBytes", report.ResponseBodyBytes);
            w.WriteNumber("traces", report.Traces);
            w.WriteNumber("tracesWithDependencyCalls", report.TracesWithDependencyCalls);
            w.WriteNumber("redactedExchanges", report.Redacted);
            w.WriteNumber("webSocketMessages", report.WebSocketMessages);
            Counts(w, "directions", report.Directions);
            Counts(w, "services", report.Services);
            Counts(w, "methods", report.Methods);
            Counts(w, "statusClasses", report.StatusClasses);
            Counts(w, "protocols", report.Protocols);
            w.WriteBoolean("endpointsCapped", report.EndpointsCapped);
            w.WriteStartArray("endpoints");
            foreach (var e in report.Endpoints)
            {
                w.WriteStartObject();
                w.WriteString("service", e.Service);
                w.WriteString("method", e.Method);
                w.WriteString("path", e.Template);
                if (e.Operation is not null) { w.WriteString("operation", e.Operation); }
                w.WriteString("direction", e.Direction);
                w.WriteNumber("count", e.Count);
                w.WriteNumber("errors", e.Errors);
                WriteMs(w, "p50Ms", e.P50Ms);
                WriteMs(w, "p95Ms", e.P95Ms);
                WriteMs(w, "p99Ms", e.P99Ms);
                WriteMs(w, "maxMs", e.MaxMs);
                w.WriteNumber("requestBytes", e.RequestBytes);
                w.WriteNumber("responseBytes", e.ResponseBytes);
                Counts(w, "statuses", e.Statuses);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void Counts(Utf8JsonWriter w, string name, IReadOnlyList<CountRow> rows)
    {
        w.WriteStartObject(name);
        foreach (var row in rows)
        {
            w.WriteNumber(row.Name, row.Count);
        }

        w.WriteEndObject();
    }

    /// <summary>A latency cell; "n/a" when no exchange of the row said how long it took (HAR entries with <c>time: -1</c>).</summary>
    private static string Ms(double ms) => double.IsNaN(ms) ? "n/a" : ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private static void WriteMs(Utf8JsonWriter w, string name, double ms)
    {
        if (double.IsNaN(ms))
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteNumber(name, ms);
        }
    }

    internal static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };

    private static string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 1 => $"{span.TotalMilliseconds:0} ms",
        < 60 => $"{span.TotalSeconds:0.0} s",
        < 3600 => $"{(int)span.TotalMinutes}m {span.Seconds}s",
        _ => $"{(int)span.TotalHours}h {span.Minutes}m",
    };
}
