using Reprise.Core.Text;
using System.CommandLine;
using Reprise.Cli.Commands.Replay;
using Reprise.Cli.Infrastructure;
using Reprise.Replay.Merge;

namespace Reprise.Cli.Commands.Merge;

/// <summary><c>reprise merge results-*.reprise.jsonl -o results.reprise.jsonl</c>: joins shard results exactly.</summary>
internal sealed class MergeCommand(CliConsole console) : ICliCommand
{
    public Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Replay result files (one per shard).", Arity = ArgumentArity.OneOrMore, HelpName = "RESULTS" };
        var output = CommonOptions.Output("The merged results recording to write.");
        var force = CommonOptions.Force();
        var skipInvalid = CommonOptions.SkipInvalid();
        var summaryJson = new Option<string?>("--summary-json") { Description = "Write the merged summary (recomputed from every exchange) as JSON.", HelpName = "FILE" };
        var top = new Option<int>("--top") { Description = "Endpoints shown in the table.", DefaultValueFactory = _ => 20, HelpName = "N" };
        var command = new Command("merge", """
            Merge replay results (e.g. from shards) into one results recording. Exchanges are copied as
            they are; the summary's histograms are recomputed from every exchange, never averaged.

            Examples:
              reprise merge results-*.reprise.jsonl -o results.reprise.jsonl
              reprise merge results-1.reprise.jsonl results-2.reprise.jsonl -o all.reprise.jsonl --summary-json summary.json
            """)
        {
            inputs, output, force, skipInvalid, summaryJson, top,
        };
        command.SetAction(async (parse, ct) =>
        {
            var files = parse.GetValue(inputs)!;
            var outPath = parse.GetValue(output)!;
            var errors = new List<string>();
            foreach (var file in files)
            {
                if (!File.Exists(file))
                {
                    errors.Add($"{file}: no such file");
                }
                else if (string.Equals(Path.GetFullPath(file), Path.GetFullPath(outPath), StringComparison.Ordinal))
                {
                    errors.Add($"--out: '{outPath}' is one of the inputs; write to another file");
                }
            }

            if (errors.Count > 0)
            {
                throw new UsageException(string.Join(Environment.NewLine + "reprise: error: ", errors));
            }

            var summary = await ResultMerger.MergeAsync(files, outPath, parse.GetValue(force), CommonOptions.ReadOptions(console, parse.GetValue(skipInvalid)), cancellationToken: ct).ConfigureAwait(false);
            ReplaySummaryRenderer.WriteTables(console.Out, summary, parse.GetValue(top));
            if (parse.GetValue(summaryJson) is { } path)
            {
                await ReplaySummaryRenderer.WriteJsonFileAsync(path, summary, ct).ConfigureAwait(false);
            }

            console.Info($"merged {Counted.Of(files.Length, "file")} ({Counted.Of(summary.Sent, "result")}) into {outPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
