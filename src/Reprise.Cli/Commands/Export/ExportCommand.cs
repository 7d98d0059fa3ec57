using System.CommandLine;
using Reprise.Cli.Infrastructure;
using Reprise.Core.Har;
using Reprise.Core.Pipeline;

namespace Reprise.Cli.Commands.Export;

/// <summary><c>reprise export IN --format har -o OUT.har</c>.</summary>
internal sealed class ExportCommand(CliConsole console) : ICliCommand
{
    public Command Create()
    {
        var input = CommonOptions.Input();
        var output = CommonOptions.Output("The file to write.");
        var format = new Option<string>("--format")
        {
            Description = "Output format: har (HAR 1.2; Reprise-only fields kept under _reprise).",
            DefaultValueFactory = _ => "har",
        };
        var force = CommonOptions.Force();
        var skipInvalid = CommonOptions.SkipInvalid();
        var command = new Command("export", """
            Export a recording to another format.

            Examples:
              reprise export session.reprise.jsonl --format har -o session.har
            """)
        {
            input, output, format, force, skipInvalid,
        };
        command.SetAction(async (parse, ct) =>
        {
            var inputPath = parse.GetValue(input)!;
            var outputPath = parse.GetValue(output)!;
            CommonOptions.EnsureDistinct(inputPath, outputPath);
            var formatName = parse.GetValue(format)!.ToLowerInvariant();
            if (formatName != "har")
            {
                throw new UsageException($"--format: '{formatName}' is not a known format (har)");
            }

            var source = ExchangeSources.Open(inputPath, CommonOptions.ReadOptions(console, parse.GetValue(skipInvalid)));
            var count = await AtomicFile.WriteAsync(outputPath, parse.GetValue(force), stream =>
                CliProgress.RunAsync(console, "export", source, tick =>
                    new HarWriter(stream).ConsumeAsync(source.ReadAsync(ct).Observe(_ => tick(), ct), ct)), ct).ConfigureAwait(false);
            console.Info($"exported {count:N0} exchanges to {outputPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
