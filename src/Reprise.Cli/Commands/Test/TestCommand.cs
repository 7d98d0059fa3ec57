using System.CommandLine;
using Reprise.Cli.Commands.Diff;
using Reprise.Cli.Commands.Replay;
using Reprise.Cli.Infrastructure;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Diff.Engine;
using Reprise.Replay;
using Reprise.Replay.Http;
using Reprise.Replay.Results;

namespace Reprise.Cli.Commands.Test;

/// <summary><c>reprise test IN --target URL</c>: replay, diff and gate in one command.</summary>
internal sealed class TestCommand(CliConsole console) : ICliCommand
{
    public Command Create()
    {
        var input = CommonOptions.Input();
        var keep = new Option<string?>("--out", "-o") { Description = "Also keep the candidate's replay results in this file (otherwise a temporary file is used and deleted).", HelpName = "FILE" };
        var replay = new ReplayCommand(console);
        var diff = new DiffOptionSet(forTest: true);
        var command = new Command("test", """
            Replay the recording against --target, compare what it answers with the recording, and gate:
            'reprise replay' + 'reprise diff' in one step. Accepts every replay flag (pacing, multiplier,
            correlation --rules, headers, filters…) and every diff flag (the diff's ignore rules are
            --diff-rules here). With --baseline URL the recording is also replayed twice against the baseline
            build, and what differs between those two runs and the recording is ignored as noise (Diffy-style);
            latency then compares the two live builds.

            Results are redacted like the recording (see 'reprise replay'): with a redacted recording every
            result is redacted with the same policy (--redact-rules, the key of 'record') before it is written
            or compared, so an unchanged value gives the recording's token and no raw value reaches a report.

            Exit codes: 0 the gate passes, 1 it fails, 2 bad input, 3 target unreachable.

            Examples:
              reprise test rec.reprise.jsonl --target http://127.0.0.1:8080
              reprise test rec.reprise.jsonl -t http://candidate:8080 --baseline http://baseline:8080 --report diff.html --junit junit.xml
              reprise test rec.reprise.jsonl -t http://127.0.0.1:8080 --speed 10 --fail-if 'diffs > 0 || error_rate > 1%'
            """)
        {
            input, keep,
        };
        replay.AddReplayFlags(command);
        diff.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            InlineSocketCompletions.Enable();
            var inputPath = parse.GetValue(input)!;
            var keepPath = parse.GetValue(keep);
            using var temp = new TempFiles();
            var resultsPath = keepPath ?? temp.Next("results");
            var (diffOptions, outputs, errors, baselineUrl) = diff.Build(parse, inputPath, resultsPath, console, replay.SkipInvalid(parse));
            if (keepPath is not null)
            {
                CommonOptions.EnsureDistinct(inputPath, keepPath);
                if (File.Exists(keepPath))
                {
                    throw new UsageException($"--out: '{keepPath}' already exists (results are never overwritten; choose another name)");
                }
            }

            if (diffOptions is null)
            {
                foreach (var error in errors)
                {
                    console.Error.WriteLine("reprise: error: " + error);
                }

                return ExitCodes.UsageError;
            }

            using var token = replay.TokenCommand(parse) is { } tokenCommand ? new CommandTokenSource(tokenCommand, unsetVariables: InlineSocketCompletions.SetByReprise) : null;
            var replayOptions = replay.BuildOptions(parse, token);
            var recording = await RecordingRedaction.ReadAsync(inputPath, diffOptions.ReadOptions, ct).ConfigureAwait(false);
            var redactor = await replay.Redaction.BuildLikeRecordingAsync(parse, console, recording, "results are written, compared and reported", ct).ConfigureAwait(false);
            diffOptions = diffOptions with { ResultsRedactor = redactor };
            replayOptions = replayOptions with { Tokens = RedactionOptionSet.TokensOf(redactor) };
            var source = ExchangeSources.Open(inputPath, diffOptions.ReadOptions);
            var filters = replay.BuildFilters(parse);
            if (baselineUrl is not null)
            {
                // Diffy-style: two runs of the baseline build; what differs between them (and the recording) is noise.
                var baselinePath = temp.Next("baseline");
                var secondBaselinePath = temp.Next("baseline-2");
                console.Info($"replaying against the baseline {baselineUrl} (twice, to learn what varies between runs)");
                await ReplayAsync(replayOptions with { Target = baselineUrl, RunId = replayOptions.RunId + "-baseline" }, source, filters, inputPath, baselinePath, RedactionOptionSet.ForNewStream(redactor), console, ct).ConfigureAwait(false);
                await ReplayAsync(replayOptions with { Target = baselineUrl, RunId = replayOptions.RunId + "-baseline-2" }, source, filters, inputPath, secondBaselinePath, RedactionOptionSet.ForNewStream(redactor), console, ct).ConfigureAwait(false);
                diffOptions = diffOptions with { BaselineResults = baselinePath, SecondBaselineResults = secondBaselinePath };
            }

            console.Info($"replaying against {replayOptions.Target}");
            await ReplayAsync(replayOptions, source, filters, inputPath, resultsPath, RedactionOptionSet.ForNewStream(redactor), console, ct).ConfigureAwait(false);
            var report = await new DiffEngine(diffOptions, console.Warn).RunAsync(ct).ConfigureAwait(false);
            await DiffCommand.WriteOutputsAsync(console, report, outputs, ct).ConfigureAwait(false);
            return report.Failed ? ExitCodes.CheckFailed : ExitCodes.Success;
        });
        return command;
    }

    private static async Task ReplayAsync(ReplayOptions options, IExchangeSource source, IReadOnlyList<IExchangeTransform> filters, string inputPath, string resultsPath, IExchangeRedactor? redactor, CliConsole console, CancellationToken ct)
    {
        var results = await RecordingResultSink.CreateAsync(resultsPath, Replayer.DescribeRun(options, Path.GetFileName(inputPath)), overwrite: true, TimeProvider.System, redactor, ct).ConfigureAwait(false);
        var failed = true;
        try
        {
            await using (results.ConfigureAwait(false))
            {
                try
                {
                    var summary = await Replayer.RunAsync(options, new ReplayableSource(source, filters), results, ct).ConfigureAwait(false);
                    ReplaySummaryRenderer.WriteWarnings(console, summary, options);
                    failed = false;
                }
                catch (Exception ex) when (ReplayFailures.ToCliError(ex, inputPath) is { } error)
                {
                    throw error;
                }
            }
        }
        finally
        {
            if (failed && results.Written == 0)
            {
                File.Delete(resultsPath); // nothing replayed (e.g. the target is not up yet): a rerun with the same --out is not refused
            }
        }

        ReplayCommand.ReportRedactionFailures(console, results);
    }

    /// <summary>Temporary results files, deleted on dispose.</summary>
    private sealed class TempFiles : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("reprise-test-").FullName;

        public string Next(string name) => Path.Combine(_directory, name + ".reprise.jsonl");

        public void Dispose()
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory left behind is harmless.
            }
        }
    }
}
