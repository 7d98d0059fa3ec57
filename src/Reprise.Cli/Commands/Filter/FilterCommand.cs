using Reprise.Core.Text;
using System.CommandLine;
using Reprise.Cli.Infrastructure;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;

namespace Reprise.Cli.Commands.Filter;

/// <summary><c>reprise filter IN -o OUT --method GET --path '/api/**' --status 2xx --sample 0.1</c>.</summary>
internal sealed class FilterCommand(CliConsole console) : ICliCommand
{
    public Command Create()
    {
        var input = CommonOptions.Input();
        var output = CommonOptions.Output("The recording to write (*.reprise.jsonl, .gz or .zst by extension), or a HAR file (*.har).");
        var force = CommonOptions.Force();
        var skipInvalid = CommonOptions.SkipInvalid();
        var filters = new FilterOptionSet();
        var command = new Command("filter", """
            Keep the exchanges that match every given filter.

            Examples:
              reprise filter rec.reprise.jsonl -o gets.reprise.jsonl --method GET --status 2xx
              reprise filter rec.reprise.jsonl -o api.reprise.jsonl --path '/api/**' --exclude-path '/api/health'
              reprise filter rec.reprise.jsonl -o sample.reprise.jsonl --sample 0.1 --seed 7
            """)
        {
            input, output, force, skipInvalid,
        };
        filters.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var inputPath = parse.GetValue(input)!;
            var outputPath = parse.GetValue(output)!;
            CommonOptions.EnsureDistinct(inputPath, outputPath);
            var transforms = filters.Build(parse);
            var source = ExchangeSources.Open(inputPath, CommonOptions.ReadOptions(console, parse.GetValue(skipInvalid)));
            long read = 0;
            var header = await DerivedHeader.CreateAsync(source, inputPath, "filteredFrom", ct).ConfigureAwait(false);
            var kept = await CliProgress.RunAsync(console, "filter", source, tick =>
                ExchangeOutput.WriteAsync(outputPath, header, parse.GetValue(force), ExchangePipeline.Apply(source.ReadAsync(ct).Observe(_ => { read++; tick(); }, ct), transforms, ct), ct)).ConfigureAwait(false);
            if (kept == 0 && read > 0)
            {
                // Not an error (an empty recording is valid), but almost always a filter that does not say what was meant.
                console.Warn($"no exchange matched the filters; {outputPath} has none of the {read:N0} read");
            }
            else
            {
                console.Info($"kept {kept:N0} of {Counted.Of(read, "exchange")} in {outputPath}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
