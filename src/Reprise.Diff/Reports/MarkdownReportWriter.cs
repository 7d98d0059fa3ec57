using System.Globalization;
using System.Text;
using Reprise.Core.Text;
using Reprise.Diff.Model;

namespace Reprise.Diff.Reports;

/// <summary>A PR comment: verdict, per-endpoint table, top differences in a collapsed block, noise count.</summary>
public static class MarkdownReportWriter
{
    /// <summary>" (2 graphql, 1 http-5xx)" after an error count; empty when there are none.</summary>
    internal static string ByKind(IReadOnlyDictionary<string, long> kinds) =>
        kinds.Count == 0 ? string.Empty : " (" + string.Join(", ", kinds.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Value:N0} {k.Key}"))) + ")";

    /// <summary>Renders the comment.</summary>
    public static string Render(DiffReport report)
    {
        var md = new StringBuilder();
        var v = report.Variables;
        md.AppendLine(report.Failed ? "## ❌ Reprise: regression gate failed" : "## ✅ Reprise: no regressions");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Gate `{Inline(report.Gate)}` → **{(report.Failed ? "FAIL" : "PASS")}**{(report.Reasons.Count > 0 ? ": " + Inline(string.Join("; ", report.Reasons)) : string.Empty)}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{Counted.Of((long)v["exchanges"], "exchange")} compared · {v["diffs"]:N0} with differences · {Counted.Of((long)v["errors"], "new error")}{ByKind(report.ErrorsByKind)} · {Counted.Of((long)v["noise"], "noisy difference")} ignored · latency vs {report.LatencyReference}");
        md.AppendLine();
        md.AppendLine("| | Endpoint | Exchanges | Diffs | New errors | p50 | p95 | p99 | p95 change |");
        md.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|---|");
        foreach (var e in report.Endpoints.OrderByDescending(e => e.Failed).ThenBy(e => e.Name, StringComparer.Ordinal))
        {
            var l = e.Latency;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {(e.Failed ? "❌" : "✅")} | `{Escape(e.Name)}` | {e.Exchanges:N0} | {e.Diffs:N0} | {e.Errors:N0}{ByKind(e.ErrorsByKind)} | {l.CandidateP50:0.#} ms | {l.CandidateP95:0.#} ms | {l.CandidateP99:0.#} ms | {Change(l)} |");
        }

        var failing = report.Endpoints.Where(e => e.Locations.Count > 0).ToList();
        if (failing.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("<details><summary>Differences</summary>");
            md.AppendLine();
            foreach (var e in failing)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"**`{Escape(e.Name)}`**");
                md.AppendLine();
                foreach (var location in e.Locations.Take(20))
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"- `{Escape(location.Location)}` {location.Kind.ToString().ToLowerInvariant()} in {Counted.Of(location.Count, "exchange")}, e.g. `{Escape(Show(location.Example.Expected))}` → `{Escape(Show(location.Example.Actual))}`");
                }

                md.AppendLine();
            }

            md.AppendLine("</details>");
        }

        if (report.Noise.Count > 0)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"<details><summary>Ignored as noise ({report.Noise.Count} locations)</summary>");
            md.AppendLine();
            md.AppendLine("| Endpoint | Location | Reason | Ignored |");
            md.AppendLine("|---|---|---|--:|");
            foreach (var n in report.Noise.Take(100))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| `{Escape(n.Endpoint)}` | `{Escape(n.Location)}` | {Escape(n.Reason)} | {n.Count:N0} |");
            }

            md.AppendLine();
            md.AppendLine("</details>");
        }

        return md.ToString();
    }

    internal static string Change(Stats.LatencyComparison l)
    {
        var delta = l.ReferenceP95 <= 0 ? 0 : (l.CandidateP95 - l.ReferenceP95) / l.ReferenceP95;
        // The CI is NaN below the analyzer's minimum sample count: say so rather than print "NaN..NaN".
        var ci = double.IsNaN(l.P95DeltaLow) || double.IsNaN(l.P95DeltaHigh)
            ? "CI n/a: too few samples"
            : string.Create(CultureInfo.InvariantCulture, $"CI {Math.Round(l.P95DeltaLow, 1):+0.#;-0.#;0}..{Math.Round(l.P95DeltaHigh, 1):+0.#;-0.#;0} ms");
        var text = string.Create(CultureInfo.InvariantCulture, $"{Math.Round(delta * 100):+0;-0;0}% ({ci})");
        return l.Significant ? "**" + text + " significant**" : text;
    }

    private static string Show(string? value) => value is null ? "∅" : value.Length > 60 ? value[..60] + "…" : value;

    /// <summary>Outside tables a pipe is literal; only backticks and newlines need care.</summary>
    private static string Inline(string text) => text.Replace("`", "'", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);
}
