using Reprise.Core.Text;
using System.CommandLine;
using Reprise.Cli.Infrastructure;
using Reprise.Core.Har;
using Reprise.Core.Pipeline;
using Reprise.Mock.Export;

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
            Description = "Output format: har (HAR 1.2; Reprise-only fields kept under _reprise) or wiremock (stub mappings: -o is a WireMock root directory; mappings/ and __files/ are written inside).",
            DefaultValueFactory = _ => "har",
        };
        var force = CommonOptions.Force();
        var skipInvalid = CommonOptions.SkipInvalid();
        var command = new Command("export", """
            Export a recording to another format.

            Examples:
              reprise export session.reprise.jsonl --format har -o session.har
              reprise export deps.reprise.jsonl --format wiremock -o wiremock/   # then: wiremock --root-dir wiremock
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
            if (formatName is not ("har" or "wiremock"))
            {
                throw new UsageException($"--format: '{formatName}' is not a known format (har, wiremock)");
            }

            var source = ExchangeSources.Open(inputPath, CommonOptions.ReadOptions(console, parse.GetValue(skipInvalid)));
            if (formatName == "wiremock")
            {
                return await ExportWireMockAsync(source, outputPath, parse.GetValue(force), ct).ConfigureAwait(false);
            }

            var count = await CliProgress.RunAsync(console, "export", source, tick =>
                ExchangeOutput.WriteHarAsync(outputPath, parse.GetValue(force), source.ReadAsync(ct).Observe(_ => tick(), ct), comment: null, ct)).ConfigureAwait(false);
            console.Info($"exported {Counted.Of(count, "exchange")} to {outputPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    private async Task<int> ExportWireMockAsync(IExchangeSource source, string outputPath, bool force, CancellationToken ct)
    {
        var mappings = Path.Combine(outputPath, "mappings");
        if (File.Exists(outputPath))
        {
            throw new UsageException($"--out: '{outputPath}' is a file; wiremock export writes a directory");
        }

        if (Directory.Exists(mappings) && Directory.EnumerateFileSystemEntries(mappings).Any() && !force)
        {
            throw new UsageException($"--out: '{mappings}' is not empty (use --force to add to it)");
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(outputPath).TrimEnd(Path.DirectorySeparatorChar));
        if (parent is not null && !Directory.Exists(parent))
        {
            throw new UsageException($"--out: directory '{parent}' does not exist");
        }

        var count = await CliProgress.RunAsync(console, "export", source, tick =>
            WireMockExporter.ExportAsync(source.ReadAsync(ct).Observe(_ => tick(), ct), outputPath, null, ct)).ConfigureAwait(false);
        console.Info($"exported {count:N0} WireMock mappings to {mappings} (run: wiremock --root-dir {outputPath})");
        return ExitCodes.Success;
    }
}
