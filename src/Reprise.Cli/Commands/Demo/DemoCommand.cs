using System.CommandLine;
using Reprise.Cli.Commands.Inspect;
using Reprise.Cli.Infrastructure;
using Reprise.Core.Analysis;
using Reprise.Core.Har;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;
using Reprise.Core.Transforms;
using Spectre.Console;

namespace Reprise.Cli.Commands.Demo;

/// <summary>
/// <c>reprise demo</c>: the end-to-end showcase on bundled sample traffic. Each step prints the
/// equivalent command so the tour can be repeated by hand.
/// </summary>
internal sealed class DemoCommand(CliConsole console) : ICliCommand
{
    public Command Create()
    {
        var directory = new Option<string?>("--dir")
        {
            Description = "Where to write the demo's files (default: a new temporary directory, kept for you to explore).",
        };
        var command = new Command("demo", """
            Run the end-to-end showcase on sample traffic bundled with reprise: import a browser HAR,
            inspect it, filter it, and export it back to HAR.

            Examples:
              reprise demo
              reprise demo --dir ./demo-out
            """)
        {
            directory,
        };
        command.SetAction(async (parse, ct) =>
        {
            var dir = parse.GetValue(directory) ?? Path.Combine(Path.GetTempPath(), "reprise-demo-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(dir);
            var har = Path.Combine(dir, "shop.har");
            await using (var resource = typeof(DemoCommand).Assembly.GetManifestResourceStream("samples/shop.har")
                ?? throw new RuntimeFailureException("the bundled sample traffic is missing from this build"))
            await using (var file = File.Create(har))
            {
                await resource.CopyToAsync(file, ct).ConfigureAwait(false);
            }

            var recording = Path.Combine(dir, "shop.reprise.jsonl");
            Step("1. Import a browser HAR (Chrome export of a shopping session)", $"reprise import {har} -o {recording}");
            var header = new RecordingHeader { CreatedAt = TimeProvider.System.GetUtcNow(), Capture = Exchange.EmptyTags.Add("source", "har").Add("file", "shop.har") };
            var imported = await new RecordingSink(recording, header, new RecordingWriterOptions { Atomic = true, Overwrite = true })
                .ConsumeAsync(new HarReader(har).ReadAsync(ct), ct).ConfigureAwait(false);
            console.Out.WriteLine($"imported {imported} exchanges");

            Step("2. Inspect it: endpoints grouped by path template, latency percentiles", $"reprise inspect {recording}");
            var report = await new InspectSink().ConsumeAsync(new RecordingReader(recording).ReadAsync(ct), ct).ConfigureAwait(false);
            InspectRenderer.WriteTables(console.Out, recording, report, 25);

            var api = Path.Combine(dir, "api.reprise.jsonl");
            Step("3. Keep only successful API calls", $"reprise filter {recording} -o {api} --path '/api/**' --exclude-path /api/health --status 2xx");
            var filter = new FilterTransform(new ExchangeFilterOptions
            {
                Paths = [PathGlob.Parse("/api/**")],
                ExcludePaths = [PathGlob.Parse("/api/health")],
                Status = StatusMatcher.TryParse("2xx", out _),
            });
            var kept = await new RecordingSink(api, header, new RecordingWriterOptions { Atomic = true, Overwrite = true })
                .ConsumeAsync(filter.TransformAsync(new RecordingReader(recording).ReadAsync(ct), ct), ct).ConfigureAwait(false);
            console.Out.WriteLine($"kept {kept} of {imported} exchanges");

            var exported = Path.Combine(dir, "api.har");
            Step("4. Export back to HAR (opens in any browser's devtools)", $"reprise export {api} --format har -o {exported}");
            await using (var stream = File.Create(exported))
            {
                var count = await new HarWriter(stream).ConsumeAsync(new RecordingReader(api).ReadAsync(ct), ct).ConfigureAwait(false);
                console.Out.WriteLine($"exported {count} exchanges");
            }

            console.Out.WriteLine(string.Empty);
            console.Out.WriteLine($"Demo files are in {dir}");
            return ExitCodes.Success;
        });
        return command;
    }

    private void Step(string title, string equivalent)
    {
        console.Out.WriteLine(string.Empty);
        console.Out.Write(new Spectre.Console.Rule($"[bold]{Spectre.Console.Markup.Escape(title)}[/]").LeftJustified());
        console.Out.MarkupLine($"[grey]$ {Spectre.Console.Markup.Escape(equivalent)}[/]");
    }
}
