using System.CommandLine;
using Reprise.Cli.Infrastructure;
using Reprise.Core.Analysis;
using Reprise.Core.Pipeline;

namespace Reprise.Cli.Commands.Inspect;

/// <summary><c>reprise inspect IN</c>: counts, time span, endpoints with latency percentiles.</summary>
internal sealed class InspectCommand(CliConsole console) : ICliCommand
{
    public Command Create()
    {
        var input = CommonOptions.Input();
        var json = CommonOptions.Json("the summary");
        var top = new Option<int>("--top")
        {
            Description = "Endpoints to list in the table (all of them with --json).",
            DefaultValueFactory = _ => 25,
        };
        var skipInvalid = CommonOptions.SkipInvalid();
        var command = new Command("inspect", """
            Summarise a recording or HAR: exchanges, time span, services, methods, status classes,
            endpoints grouped by path template (GET /orders/{id}) with p50/p95/p99 latency and body bytes.

            Examples:
              reprise inspect rec.reprise.jsonl
              reprise inspect session.har --json | jq '.endpoints[0]'
            """)
        {
            input, json, top, skipInvalid,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(input)!;
            var topCount = parse.GetValue(top);
            if (topCount < 1)
            {
                throw new UsageException($"--top: must be at least 1 (got {topCount})");
            }

            var source = ExchangeSources.Open(path, CommonOptions.ReadOptions(console, parse.GetValue(skipInvalid)));
            var report = await CliProgress.RunAsync(console, "inspect", source, tick =>
                new InspectSink().ConsumeAsync(source.ReadAsync(ct).Observe(_ => tick(), ct), ct)).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                InspectRenderer.WriteJson(console.Output, path, report);
            }
            else
            {
                InspectRenderer.WriteTables(console.Out, path, report, topCount);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
