using Reprise.Core.Text;
using System.CommandLine;
using System.Text.Json;
using Reprise.Cli.Commands.Redact;
using Reprise.Cli.Infrastructure;
using Reprise.Core.Pipeline;
using Reprise.Redaction.Policy;
using Spectre.Console;

namespace Reprise.Cli.Commands.Scan;

/// <summary><c>reprise scan IN [--json]</c>: reports personal data and secrets by detector and location; exit 1 when any is found.</summary>
internal sealed class ScanCommand(CliConsole console) : ICliCommand
{
    private const int ExamplesPerGroup = 1;

    public Command Create()
    {
        var input = CommonOptions.Input();
        var json = CommonOptions.Json("the findings");
        var skipInvalid = CommonOptions.SkipInvalid();
        var redaction = new RedactionOptionSet();
        var command = new Command("scan", """
            Find personal data and secrets in a recording or HAR file, grouped by detector and location.
            Values are shown masked. Exit code 1 when anything is found, 0 when clean.

            Examples:
              reprise scan prod.reprise.jsonl
              reprise scan session.har --json > findings.json
              reprise scan safe.reprise.jsonl --rules redaction.yaml && echo clean
            """)
        {
            input, json, skipInvalid,
        };
        redaction.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var inputPath = parse.GetValue(input)!;
            if (!File.Exists(inputPath))
            {
                throw new UsageException($"{inputPath}: does not exist");
            }

            var policy = await redaction.BuildAsync(parse, console, warnEphemeral: false, ct).ConfigureAwait(false);
            var source = ExchangeSources.Open(inputPath, CommonOptions.ReadOptions(console, parse.GetValue(skipInvalid)));
            var groups = new SortedDictionary<(string Detector, string Location), Group>();
            long exchanges = 0;
            long withFindings = 0;
            await foreach (var exchange in source.ReadAsync(ct).ConfigureAwait(false))
            {
                exchanges++;
                var findings = policy.Scan(exchange);
                withFindings += findings.Count > 0 ? 1 : 0;
                foreach (var finding in findings)
                {
                    var key = (finding.Detector, finding.Location);
                    if (!groups.TryGetValue(key, out var group))
                    {
                        groups[key] = group = new Group(finding.Kind, finding.Action, finding.Preview, exchange.Id);
                    }

                    group.Count++;
                }
            }

            var total = groups.Values.Sum(g => g.Count);
            if (parse.GetValue(json))
            {
                WriteJson(inputPath, policy, exchanges, withFindings, total, groups);
            }
            else
            {
                WriteTable(exchanges, withFindings, total, groups);
            }

            return total > 0 ? ExitCodes.CheckFailed : ExitCodes.Success;
        });
        return command;
    }

    private void WriteTable(long exchanges, long withFindings, long total, SortedDictionary<(string Detector, string Location), Group> groups)
    {
        if (total == 0)
        {
            console.Output.WriteLine($"clean: no personal data or secrets found in {Counted.Of(exchanges, "exchange")}");
            return;
        }

        var table = new Table().Border(TableBorder.Simple);
        table.AddColumns("detector", "location", "count", "action", "example (masked)");
        foreach (var ((detector, location), group) in groups)
        {
            table.AddRow(Markup.Escape(detector), Markup.Escape(location), group.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), group.Action, Markup.Escape(group.Preview));
        }

        console.Out.Write(table);
        console.Output.WriteLine($"{Counted.Of(total, "finding")} in {withFindings:N0} of {Counted.Of(exchanges, "exchange")}");
    }

    private void WriteJson(string input, RedactionPolicy policy, long exchanges, long withFindings, long total, SortedDictionary<(string Detector, string Location), Group> groups)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("input", input);
            writer.WriteString("policy", policy.PolicyName);
            writer.WriteString("digest", policy.PolicyDigest);
            writer.WriteNumber("exchanges", exchanges);
            writer.WriteNumber("exchangesWithFindings", withFindings);
            writer.WriteNumber("findings", total);
            writer.WriteStartObject("byDetector");
            foreach (var byDetector in groups.GroupBy(g => g.Key.Detector))
            {
                writer.WriteNumber(byDetector.Key, byDetector.Sum(g => g.Value.Count));
            }

            writer.WriteEndObject();
            writer.WriteStartArray("locations");
            foreach (var ((detector, location), group) in groups)
            {
                writer.WriteStartObject();
                writer.WriteString("detector", detector);
                writer.WriteString("location", location);
                writer.WriteString("kind", group.Kind);
                writer.WriteString("action", group.Action);
                writer.WriteNumber("count", group.Count);
                writer.WriteString("example", group.Preview);
                writer.WriteString("firstExchange", group.FirstExchange);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        console.Output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private sealed class Group(string kind, string action, string preview, string firstExchange)
    {
        public string Kind { get; } = kind;

        public string Action { get; } = action;

        public string Preview { get; } = preview;

        public string FirstExchange { get; } = firstExchange;

        public long Count { get; set; }
    }
}
