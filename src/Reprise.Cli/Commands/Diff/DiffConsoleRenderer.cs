using System.Globalization;
using Reprise.Diff.Model;
using Spectre.Console;

namespace Reprise.Cli.Commands.Diff;

/// <summary>The human summary on stdout: endpoint table, top differences, noise count, verdict last.</summary>
internal static class DiffConsoleRenderer
{
    private static string Count(double n, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{n:N0} {(n == 1 ? one : many)}");

    public static void Write(IAnsiConsole console, DiffReport report)
    {
        var v = report.Variables;
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[bold]reprise diff[/] {Markup.Escape(report.Recorded)} → {Markup.Escape(report.Results)}{(report.Baseline is null ? string.Empty : " (baseline " + Markup.Escape(report.Baseline) + ")")}"));
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"{Count(v["exchanges"], "exchange", "exchanges")} compared, {v["diffs"]:N0} with differences, {Count(v["errors"], "new error", "new errors")}{(report.ErrorsByKind.Count == 0 ? string.Empty : " (" + string.Join(", ", report.ErrorsByKind.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Value:N0} {k.Key}"))) + ")")}, {Count(v["noise"], "noisy difference", "noisy differences")} ignored ({Count(report.Noise.Count, "location", "locations")}); latency vs {report.LatencyReference}"));
        if (report.NotReplayed > 0)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[grey]{report.NotReplayed:N0} inbound recorded exchanges were not replayed[/]"));
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("", "Endpoint", "Exch.", "Diffs", "New err", "p50 ms", "p95 ms", "p99 ms", "p95 Δ (95% CI ms)", "MW p");
        foreach (var column in table.Columns.Skip(2))
        {
            column.RightAligned();
        }

        foreach (var e in report.Endpoints.OrderByDescending(e => e.Failed).ThenBy(e => e.Name, StringComparer.Ordinal))
        {
            var l = e.Latency;
            var delta = l.ReferenceP95 <= 0 ? 0 : (l.CandidateP95 - l.ReferenceP95) / l.ReferenceP95;
            var ci = double.IsNaN(l.P95DeltaLow) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" ({Math.Round(l.P95DeltaLow, 1):+0.#;-0.#;0}..{Math.Round(l.P95DeltaHigh, 1):+0.#;-0.#;0})");
            var change = string.Create(CultureInfo.InvariantCulture, $"{Math.Round(delta * 100):+0;-0;0}%{ci}");
            table.AddRow(
                e.Failed ? "[red]✗[/]" : "[green]✓[/]",
                Markup.Escape(e.Name),
                e.Exchanges.ToString("N0", CultureInfo.InvariantCulture),
                e.Diffs > 0 ? $"[red]{e.Diffs:N0}[/]" : "0",
                e.Errors > 0 ? $"[red]{e.Errors:N0}[/]" : "0",
                Pair(l.ReferenceCount, l.ReferenceP50, l.CandidateCount, l.CandidateP50),
                Pair(l.ReferenceCount, l.ReferenceP95, l.CandidateCount, l.CandidateP95),
                Pair(l.ReferenceCount, l.ReferenceP99, l.CandidateCount, l.CandidateP99),
                l.Significant ? $"[red]{Markup.Escape(change)}[/]" : Markup.Escape(change),
                l.PValue < 0.0001 ? "<0.0001" : l.PValue.ToString("0.0000", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        var shown = 0;
        foreach (var e in report.Endpoints.Where(e => e.Locations.Count > 0))
        {
            if (shown == 0)
            {
                console.MarkupLine("[bold]Differences[/] (location, exchanges, first example):");
            }

            console.MarkupLine($"  [bold]{Markup.Escape(e.Name)}[/]");
            foreach (var location in e.Locations.Take(8))
            {
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"    {Markup.Escape(location.Example.ToSingleLine())} [grey]({location.Count:N0}×)[/]"));
            }

            if (e.Locations.Count > 8)
            {
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"    [grey]… {e.Locations.Count - 8} more location(s): see --report or --json[/]"));
            }

            shown++;
        }

        var verdict = report.Failed ? "[white on red] FAIL [/]" : "[white on green] PASS [/]";
        var reasons = report.Reasons.Count > 0 ? ": " + string.Join("; ", report.Reasons) : string.Empty;
        console.MarkupLine($"{verdict} gate '{Markup.Escape(report.Gate)}'{Markup.Escape(reasons)}");
    }

    /// <summary>Reference → candidate; "n/a" for a side with no latency sample (HAR entries with <c>time: -1</c>, sessions), not 0.</summary>
    private static string Pair(long referenceCount, double reference, long candidateCount, double candidate) =>
        $"{Ms(referenceCount, reference)} → {Ms(candidateCount, candidate)}";

    private static string Ms(long count, double ms) => count == 0 ? "n/a" : ms.ToString("0.#", CultureInfo.InvariantCulture);
}
