using Reprise.Core.Text;
using System.Globalization;
using Reprise.Core.Recording;
using Reprise.Replay.Results;
using Spectre.Console;

namespace Reprise.Cli.Commands.Replay;

/// <summary>Renders a replay (or merge) summary as tables, or as JSON.</summary>
internal static class ReplaySummaryRenderer
{
    public static void WriteTables(IAnsiConsole console, ReplaySummary summary, int top)
    {
        var overall = summary.Overall();
        var errors = summary.ErrorsByKind.Count == 0
            ? "none"
            : string.Join(", ", summary.ErrorsByKind.Select(e => $"{e.Key.ToWire()} {e.Value:N0}"));
        console.MarkupLine(Markup.Escape(
            $"sent {Counted.Of(summary.Sent, "request")} in {summary.Elapsed.TotalSeconds:0.0}s ({summary.RequestsPerSecond:0.0} req/s); "
            + (summary.Sessions > 0 ? Counted.Of(summary.Sessions, "session") + "; " : string.Empty) + $"2xx {summary.StatusClasses[2]:N0}, 3xx {summary.StatusClasses[3]:N0}, 4xx {summary.StatusClasses[4]:N0}, 5xx {summary.StatusClasses[5]:N0}; errors: {errors}"
            + (summary.SkippedTruncated > 0 ? $"; skipped: {summary.SkippedTruncated:N0} with truncated request bodies" : string.Empty)
            + (summary.SkippedWebSocket > 0 ? "; skipped: " + Counted.Of(summary.SkippedWebSocket, "WebSocket session") : string.Empty)));
        console.MarkupLine(Markup.Escape(
            $"latency ms: p50 {Ms(overall.PercentileMs(50))}, p90 {Ms(overall.PercentileMs(90))}, p95 {Ms(overall.PercentileMs(95))}, p99 {Ms(overall.PercentileMs(99))}, max {Ms(overall.MaxMs)}"
            + (summary.TimeShift != TimeSpan.Zero ? $"; request times shifted by {summary.TimeShift.TotalDays:0.##} days" : string.Empty)));
        if (summary.GraphQlErrors > 0)
        {
            console.MarkupLine(Markup.Escape($"graphql errors: {summary.GraphQlErrors:N0} 2xx GraphQL responses with a non-empty errors array"));
        }

        var table = new Table().Border(TableBorder.Rounded).Title($"Endpoints ({summary.Endpoints.Count:N0})")
            .AddColumns("Endpoint", "Count", "Errors", "2xx", "3xx", "4xx", "5xx", "p50 ms", "p90 ms", "p95 ms", "p99 ms", "max ms");
        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        foreach (var e in summary.Endpoints.Take(top))
        {
            var h = e.Latency();
            table.AddRow(
                Markup.Escape(e.Endpoint.ToString()), N(e.Count), e.Errors == 0 ? "0" : $"[red]{e.Errors:N0}[/]",
                N(e.StatusClass(2)), N(e.StatusClass(3)), N(e.StatusClass(4)), e.StatusClass(5) == 0 ? "0" : $"[red]{e.StatusClass(5):N0}[/]",
                Ms(h.PercentileMs(50)), Ms(h.PercentileMs(90)), Ms(h.PercentileMs(95)), Ms(h.PercentileMs(99)), Ms(h.MaxMs));
        }

        console.Write(table);
        if (summary.Endpoints.Count > top)
        {
            console.MarkupLine(Markup.Escape($"{Counted.Of(summary.Endpoints.Count - top, "more endpoint")} (--summary-json FILE has all)"));
        }

        if (summary.Correlation.Count > 0)
        {
            var rules = new Table().Border(TableBorder.Rounded).Title($"Correlation rules ({summary.Correlation.Count:N0})")
                .AddColumns("Rule", "Extracted from", "Substituted into", "Applied");
            rules.Columns[3].RightAligned();
            foreach (var rule in summary.Correlation)
            {
                rules.AddRow(Markup.Escape(rule.Name + (rule.Manual ? " (manual)" : string.Empty)), Markup.Escape(rule.ExtractedFrom), Markup.Escape(rule.SubstitutedInto), N(rule.Applied));
            }

            console.Write(rules);
        }
    }

    /// <summary>One line per thing the user should know about the run (sessions that cannot correlate).</summary>
    public static void WriteWarnings(Infrastructure.CliConsole console, ReplaySummary summary, Reprise.Replay.ReplayOptions options)
    {
        if (summary.SkippedTruncated > 0)
        {
            console.Warn($"{Counted.Of(summary.SkippedTruncated, "request")} not sent: the recorded body was truncated at record time (record with a larger --max-body to replay them); they are not results and diff does not count them");
        }

        if (summary.SkippedWebSocket > 0)
        {
            console.Warn($"{Counted.Of(summary.SkippedWebSocket, "WebSocket session")} not replayed: an --h2c target has no HTTP/1.1 upgrade to open them with; they are not results and diff does not count them");
        }

        if (options.AutoCorrelation && summary.Sent > 1 && summary.Sessions >= summary.Sent)
        {
            console.Warn(options.SessionKeys is null
                ? $"{summary.Sessions:N0} sessions of 1 request each: no trace id, Authorization, cookie or client tag groups the requests, so correlation has nothing to link (ids the target issues are not carried to later requests)"
                : $"{summary.Sessions:N0} sessions of 1 request each: correlation has nothing to link; try --session-key client (or authorization, cookie)");
        }
    }

    public static Task WriteJsonFileAsync(string path, ReplaySummary summary, CancellationToken cancellationToken) =>
        Infrastructure.AtomicFile.WriteAsync(path, overwrite: true, stream =>
        {
            SummaryJson.Write(summary, stream);
            return Task.FromResult(true);
        }, cancellationToken);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString(value >= 100 ? "0" : "0.00", CultureInfo.InvariantCulture);
}
