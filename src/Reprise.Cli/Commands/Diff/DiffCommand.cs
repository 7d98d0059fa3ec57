using System.CommandLine;
using System.Text;
using Reprise.Cli.Infrastructure;
using Reprise.Core.Pipeline;
using Reprise.Diff.Engine;
using Reprise.Diff.Model;
using Reprise.Diff.Reports;

namespace Reprise.Cli.Commands.Diff;

/// <summary><c>reprise diff RECORDED RESULTS</c>: compare replay results with the recording and gate CI.</summary>
internal sealed class DiffCommand(CliConsole console) : ICliCommand
{
    public Command Create()
    {
        var recorded = new Argument<string>("recorded") { Description = "The recording that was replayed.", HelpName = "RECORDED" };
        var results = new Argument<string>("results") { Description = "The replay results (exchanges tagged replay.of).", HelpName = "RESULTS" };
        var options = new DiffOptionSet();
        var redaction = new RedactionOptionSet(redactRulesOnly: true, noRedactDescription: "Compare unredacted results as they are instead of applying the recording's redaction policy to them first (raw values can reach the reports). Prints a warning.");
        var command = new Command("diff", """
            Compare replay results with the recording: status, headers, bodies (JSON and GraphQL by path,
            XML/SOAP by element, form, text, gRPC fields and status), new errors and latency per endpoint
            (p50/p95/p99 with a Mann-Whitney test and a bootstrap CI of the p95 difference). Volatile
            fields are ignored and listed: built-in headers, fields that differ across identical requests
            in the recording, UUIDs/timestamps/tokens, and with --baseline what differs between two baseline
            runs. Exit 0 when the gate passes, 1 when it fails, 2 on bad input.

            Gate language (--fail-if): numbers (10, 0.5, 10% = 0.1, 50ms = 50), variables, > >= < <= == !=,
            && || ! (or and/or/not), parentheses.

            Redaction: when the recording was redacted and a results file was not (replayed with --no-redact
            or by an older version), the recording's policy (built-in rules plus --redact-rules, the key of
            'record') is applied to the results before comparing, so tokens compare with tokens and no raw
            value reaches a report. --no-redact compares the results as they are.

            Examples:
              reprise diff rec.reprise.jsonl results.reprise.jsonl
              reprise diff rec.reprise.jsonl results.reprise.jsonl --report diff.html --junit junit.xml --markdown pr.md
              reprise diff rec.reprise.jsonl results.reprise.jsonl --baseline baseline2.reprise.jsonl
              reprise diff rec.reprise.jsonl results.reprise.jsonl --fail-if 'diffs > 5 || error_rate > 1%' --rules ignore.yaml
            """)
        {
            recorded, results,
        };
        options.AddTo(command);
        redaction.AddTo(command, allowOptOut: true);
        command.SetAction(async (parse, ct) =>
        {
            var (diffOptions, outputs, errors, _) = options.Build(parse, parse.GetValue(recorded)!, parse.GetValue(results)!, console);
            if (diffOptions is null)
            {
                foreach (var error in errors)
                {
                    console.Error.WriteLine("reprise: error: " + error);
                }

                return ExitCodes.UsageError;
            }

            diffOptions = await WithResultsRedactorAsync(diffOptions, redaction, parse, console, ct).ConfigureAwait(false);

            var report = await new DiffEngine(diffOptions, console.Warn).RunAsync(ct).ConfigureAwait(false);
            await WriteOutputsAsync(console, report, outputs, ct).ConfigureAwait(false);
            return report.Failed ? ExitCodes.CheckFailed : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Sets the recording's redaction policy for results files that were not redacted (see
    /// <see cref="DiffOptions.ResultsRedactor"/>), and warns when results were redacted with another policy or key.
    /// </summary>
    internal static async Task<DiffOptions> WithResultsRedactorAsync(DiffOptions options, RedactionOptionSet redaction, ParseResult parse, CliConsole console, CancellationToken ct)
    {
        var recording = await RecordingRedaction.ReadAsync(options.Recorded, options.ReadOptions, ct).ConfigureAwait(false);
        var unredacted = false;
        foreach (var path in new[] { options.Results, options.BaselineResults, options.SecondBaselineResults })
        {
            if (path is null || !File.Exists(path) || ExchangeSources.IsHar(path))
            {
                continue;
            }

            var results = await RecordingRedaction.ReadAsync(path, options.ReadOptions, ct).ConfigureAwait(false);
            unredacted |= !results.Redacted;
            if (recording.Redacted && results.Redacted && results.Digest is { } digest && recording.Digest is { } recorded && !string.Equals(digest, recorded, StringComparison.Ordinal))
            {
                console.Warn($"{path} was redacted with another policy or key than {options.Recorded} ({digest}, not {recorded}): tokenized values will differ");
            }
        }

        // Only unredacted results need the policy (and only then do its key and rules matter).
        if (!unredacted && !parse.GetValue(redaction.NoRedact))
        {
            return options;
        }

        var redactor = await redaction.BuildLikeRecordingAsync(parse, console, recording, "results are compared and reported", ct).ConfigureAwait(false);
        return redactor is null ? options : options with { ResultsRedactor = redactor };
    }

    /// <summary>Prints the table (or JSON) and writes the requested files.</summary>
    internal static async Task WriteOutputsAsync(CliConsole console, DiffReport report, DiffOutputs outputs, CancellationToken ct)
    {
        if (outputs.Json)
        {
            console.Output.WriteLine(JsonReportWriter.Serialize(report));
        }
        else
        {
            DiffConsoleRenderer.Write(console.Out, report);
        }

        if (outputs.JUnit is { } junit)
        {
            await AtomicFile.WriteAsync(junit, overwrite: true, stream => { JUnitReportWriter.Write(stream, report); return Task.FromResult(0); }, ct).ConfigureAwait(false);
            console.Info($"wrote {junit}");
        }

        if (outputs.Markdown is { } markdown)
        {
            var text = MarkdownReportWriter.Render(report);
            await AtomicFile.WriteAsync(markdown, overwrite: true, async stream => { await stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).ConfigureAwait(false); return 0; }, ct).ConfigureAwait(false);
            console.Info($"wrote {markdown}");
        }

        if (outputs.Html is { } html)
        {
            await AtomicFile.WriteAsync(html, overwrite: true, async stream => { await HtmlReportWriter.WriteAsync(stream, report, TimeProvider.System, ct).ConfigureAwait(false); return 0; }, ct).ConfigureAwait(false);
            console.Info($"wrote {html}");
        }
    }
}
