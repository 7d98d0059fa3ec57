using Reprise.Core.Text;
using System.CommandLine;
using Reprise.Cli.Infrastructure;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;
using Reprise.Redaction.Policy;

namespace Reprise.Cli.Commands.Redact;

/// <summary><c>reprise redact IN -o OUT [--rules rules.yaml]</c>: a redacted copy of a recording or HAR file.</summary>
internal sealed class RedactCommand(CliConsole console) : ICliCommand
{
    public Command Create()
    {
        var input = CommonOptions.Input();
        var output = CommonOptions.Output("The redacted recording to write (*.reprise.jsonl, .gz or .zst by extension), or a HAR file (*.har).");
        var force = CommonOptions.Force();
        var skipInvalid = CommonOptions.SkipInvalid();
        var redaction = new RedactionOptionSet();
        var command = new Command("redact", """
            Write a copy of a recording (or HAR file) with personal data and secrets masked, tokenized,
            faked or dropped. Each exchange lists what was redacted (location, rule, action), never the
            value; the output header names the policy and its digest. Compressed bodies are stored decoded.

            Examples:
              reprise redact prod.reprise.jsonl -o safe.reprise.jsonl
              reprise redact session.har -o safe.reprise.jsonl.zst --rules redaction.yaml
              reprise redact browser-export.har -o browser-export.redacted.har   # a HAR to hand on
              REPRISE_REDACTION_KEY=$(cat .reprise/key) reprise redact in.reprise.jsonl -o out.reprise.jsonl
            """)
        {
            input, output, force, skipInvalid,
        };
        redaction.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var inputPath = parse.GetValue(input)!;
            var outputPath = parse.GetValue(output)!;
            CommonOptions.EnsureDistinct(inputPath, outputPath);
            if (!File.Exists(inputPath))
            {
                throw new UsageException($"{inputPath}: does not exist");
            }

            var policy = await redaction.BuildAsync(parse, console, warnEphemeral: true, ct).ConfigureAwait(false);
            var source = ExchangeSources.Open(inputPath, CommonOptions.ReadOptions(console, parse.GetValue(skipInvalid)));
            var header = await DerivedHeader.CreateAsync(source, inputPath, "redactedFrom", ct).ConfigureAwait(false);
            header = header with { RedactionPolicy = policy.PolicyName, RedactionDigest = policy.PolicyDigest };
            var transform = new RedactTransform(policy);
            var written = await CliProgress.RunAsync(console, "redact", source, tick =>
                ExchangeOutput.WriteAsync(outputPath, header, parse.GetValue(force), transform.TransformAsync(source.ReadAsync(ct), ct).Observe(_ => tick(), ct), ct)).ConfigureAwait(false);
            console.Info($"redacted {Counted.Of(transform.Redacted, "value")} in {Counted.Of(written, "exchange")} into {outputPath} (policy {policy.PolicyName}, {policy.PolicyDigest})");
            return ExitCodes.Success;
        });
        return command;
    }
}
