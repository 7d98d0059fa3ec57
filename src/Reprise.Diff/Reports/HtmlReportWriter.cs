using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Reprise.Diff.Model;

namespace Reprise.Diff.Reports;

/// <summary>
/// One self-contained HTML file: inline CSS and JS, data embedded as one compact JSON block, plots drawn
/// as inline SVG, no network requests. The verdict is rendered in the HTML itself; everything else
/// renders from the data on demand: the exchange table is virtualised (only visible rows exist in the
/// DOM), side-by-side diffs are computed when opened, plots when an endpoint is selected. Bodies in
/// samples are capped at <see cref="DiffReport.BodyCap"/> characters each and at
/// <see cref="MaxEmbeddedBodyChars"/> in total; past that, samples keep their differences but not bodies.
/// </summary>
public static class HtmlReportWriter
{
    /// <summary>Total characters of sample bodies embedded (keeps a 100k-exchange report small enough to open fast).</summary>
    public const int MaxEmbeddedBodyChars = 12 * 1024 * 1024;

    /// <summary>Exchange rows embedded in the table at most.</summary>
    public const int MaxRows = 1_000_000;

    private static readonly JsonSerializerOptions DataOptions = new(JsonReportWriter.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default, // escapes <, >, & so the JSON cannot close the script element
    };

    /// <summary>Writes the report.</summary>
    public static async Task WriteAsync(Stream stream, DiffReport report, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await writer.WriteAsync(Head(report)).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        await WriteDataAsync(stream, report, time, cancellationToken).ConfigureAwait(false);
        await writer.WriteAsync("</script>\n<script>\n").ConfigureAwait(false);
        await writer.WriteAsync(Resource("report.js")).ConfigureAwait(false);
        await writer.WriteAsync("</script>\n</body>\n</html>\n").ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteDataAsync(Stream stream, DiffReport report, TimeProvider time, CancellationToken cancellationToken)
    {
        var budget = MaxEmbeddedBodyChars;
        var bodiesOmitted = 0;
        var samples = new List<DiffSample>(report.Samples.Count);
        foreach (var sample in report.Samples)
        {
            var size = sample.ExpectedBody.Length + sample.ActualBody.Length;
            if (size <= budget)
            {
                budget -= size;
                samples.Add(sample);
            }
            else
            {
                bodiesOmitted++;
                samples.Add(sample with { ExpectedBody = string.Empty, ActualBody = string.Empty, BodiesTruncated = true });
            }
        }

        var rows = report.Rows.Count > MaxRows ? report.Rows.Take(MaxRows).ToList() : report.Rows;
        var data = new
        {
            Meta = new
            {
                report.Recorded,
                report.Results,
                report.Baseline,
                report.Gate,
                report.Failed,
                report.Reasons,
                report.Variables,
                report.LatencyReference,
                report.Alpha,
                report.FloorMs,
                report.SamplesOmitted,
                report.NotReplayed,
                BodyCap = DiffReport.BodyCap,
                BodiesOmitted = bodiesOmitted,
                RowsOmitted = report.Rows.Count - rows.Count,
                Generated = time.GetUtcNow().ToString("u", CultureInfo.InvariantCulture),
            },
            report.Endpoints,
            report.Noise,
            Samples = samples,
            Rows = new
            {
                E = rows.Select(r => r.Endpoint),
                P = rows.Select(r => r.Path),
                Rs = rows.Select(r => r.ExpectedStatus),
                S = rows.Select(r => r.ActualStatus),
                Rm = rows.Select(r => Math.Round(r.ExpectedMs, 1)),
                M = rows.Select(r => Math.Round(r.ActualMs, 1)),
                D = rows.Select(r => r.Differences),
                X = rows.Select(r => r.Sample),
                Err = rows.Select(r => r.NewError ? 1 : 0),
            },
        };
        await JsonSerializer.SerializeAsync(stream, data, DataOptions, cancellationToken).ConfigureAwait(false);
    }

    private static string Head(DiffReport report)
    {
        var v = report.Variables;
        var verdict = report.Failed ? "FAIL" : "PASS";
        var reasons = report.Reasons.Count == 0 ? "no condition of the gate holds" : string.Join("; ", report.Reasons);
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>Reprise diff: {verdict} · {E(Path.GetFileName(report.Results))}</title>\n<style>\n");
        html.Append(Resource("report.css"));
        html.Append("</style>\n</head>\n<body>\n<header>\n");
        html.Append(CultureInfo.InvariantCulture, $"<div id=\"verdict\" class=\"verdict {(report.Failed ? "fail" : "pass")}\"><span class=\"badge\">{verdict}</span>");
        html.Append(CultureInfo.InvariantCulture, $"<div><div class=\"gate\">gate <code>{E(report.Gate)}</code></div><div class=\"reasons\">{E(reasons)}</div></div></div>\n");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"files\">recording <code>{E(report.Recorded)}</code> · results <code>{E(report.Results)}</code>{(report.Baseline is null ? string.Empty : $" · baseline <code>{E(report.Baseline)}</code>")} · latency vs {E(report.LatencyReference)}</div>\n");
        html.Append("<div class=\"cards\">");
        Card(html, "exchanges", v["exchanges"], false);
        Card(html, "with differences", v["diffs"], v["diffs"] > 0);
        Card(html, "new errors", v["errors"], v["errors"] > 0);
        Card(html, "status changes", v["status_changes"], v["status_changes"] > 0);
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"card{(v["p95_regression"] > 0 ? " bad" : string.Empty)}\"><b>{E(Gate.GateExpression.Format("p95_regression", v["p95_regression"]))}</b><span>p95 regression</span></div>");
        Card(html, "noise ignored", v["noise"], false);
        html.Append("</div>\n</header>\n<main id=\"app\"><noscript>Enable JavaScript to see endpoints, diffs and plots.</noscript></main>\n<script type=\"application/json\" id=\"data\">");
        return html.ToString();
    }

    private static void Card(StringBuilder html, string label, double value, bool bad) =>
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"card{(bad ? " bad" : string.Empty)}\"><b>{value:N0}</b><span>{E(label)}</span></div>");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name) ?? throw new InvalidOperationException("missing resource " + name);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
