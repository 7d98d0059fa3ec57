using Reprise.Core.Text;
using System.CommandLine;
using Reprise.Cli.Infrastructure;
using Reprise.Core.Har;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;

namespace Reprise.Cli.Commands.Import;

/// <summary><c>reprise import FILE.har -o OUT.reprise.jsonl</c>: HAR 1.2 into a recording.</summary>
internal sealed class ImportCommand(CliConsole console) : ICliCommand
{
    public Command Create()
    {
        var input = CommonOptions.Input("A HAR 1.2 file (Chrome, Firefox, Charles, Postman...; .har, .har.gz).");
        var output = CommonOptions.Output("The recording to write (*.reprise.jsonl, .gz or .zst by extension).");
        var direction = new Option<string>("--direction")
        {
            Description = "inbound (default: traffic into the services called, ready to replay) or outbound (dependency calls to mock).",
            DefaultValueFactory = _ => "inbound",
        };
        var service = new Option<string?>("--service") { Description = "Service name for every exchange (default: each request's host)." };
        var force = CommonOptions.Force();
        var redaction = new RedactionOptionSet();
        var command = new Command("import", """
            Import a HAR file as a recording. Exchanges pass through the redaction policy (as in
            record) before they are written, unless --no-redact is given.

            Examples:
              reprise import session.har -o session.reprise.jsonl
              reprise import api-calls.har --direction outbound --service payments -o deps.reprise.jsonl.zst
            """)
        {
            input, output, direction, service, force,
        };
        redaction.AddTo(command, allowOptOut: true);
        command.SetAction(async (parse, ct) =>
        {
            var inputPath = parse.GetValue(input)!;
            var outputPath = parse.GetValue(output)!;
            CommonOptions.EnsureDistinct(inputPath, outputPath);
            var options = new HarImportOptions
            {
                Direction = OptionParsing.Direction(parse.GetValue(direction)) ?? Direction.Inbound,
                Service = parse.GetValue(service),
                OnWarning = w => console.Warn(w.ToString()),
            };
            var redactor = await redaction.BuildRedactorAsync(parse, console, ct).ConfigureAwait(false);
            var header = new RecordingHeader
            {
                CreatedAt = TimeProvider.System.GetUtcNow(),
                Capture = Exchange.EmptyTags.Add("source", "har").Add("file", Path.GetFileName(inputPath)).Add("direction", options.Direction.ToWire()),
                RedactionPolicy = redactor.PolicyName,
                RedactionDigest = redactor.PolicyDigest,
            };
            var sink = new RecordingSink(outputPath, header, new RecordingWriterOptions { Atomic = true, Overwrite = parse.GetValue(force) });
            var har = new HarReader(inputPath, options);
            var count = await CliProgress.RunAsync(console, "import", har, tick =>
                sink.ConsumeAsync(har.ReadAsync(ct).Select(redactor.Redact).Observe(_ => tick(), ct), ct)).ConfigureAwait(false);
            console.Info($"imported {Counted.Of(count, "exchange")} from {inputPath} into {outputPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
