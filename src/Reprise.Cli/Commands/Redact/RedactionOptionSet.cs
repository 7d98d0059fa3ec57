using System.CommandLine;
using Reprise.Cli.Infrastructure;
using Reprise.Redaction.Policy;

namespace Reprise.Cli.Commands.Redact;

/// <summary>
/// <c>--rules</c> and <c>--key-file</c>, shared by <c>redact</c> and <c>scan</c> (and by <c>record</c> when
/// it is wired): validated into a policy before any work starts; every rules-file error is one line.
/// </summary>
internal sealed class RedactionOptionSet
{
    public Option<string?> Rules { get; } = new("--rules") { Description = "A YAML rules file (see docs/redaction.md); default: the built-in policy.", HelpName = "FILE" };

    public Option<string?> KeyFile { get; } = new("--key-file") { Description = "File holding the tokenization key (default: $REPRISE_REDACTION_KEY, else a random key for this run).", HelpName = "FILE" };

    public void AddTo(Command command)
    {
        command.Options.Add(Rules);
        command.Options.Add(KeyFile);
    }

    /// <summary>Builds the policy or throws <see cref="UsageException"/> listing every error.</summary>
    public async Task<RedactionPolicy> BuildAsync(ParseResult parse, CliConsole console, bool warnEphemeral, CancellationToken cancellationToken)
    {
        RedactionKey? key = null;
        string? error = null;
        if (parse.GetValue(KeyFile) is { } keyFile)
        {
            key = RedactionKey.TryFromFile(keyFile, out error);
            if (key is null)
            {
                throw new UsageException("--key-file: " + error);
            }
        }

        key ??= RedactionKey.TryFromEnvironment(RedactionKey.EnvironmentVariable, out error);
        if (error is not null)
        {
            throw new UsageException(error);
        }

        RedactionPolicy policy;
        if (parse.GetValue(Rules) is { } rules)
        {
            if (!File.Exists(rules))
            {
                throw new UsageException($"--rules: '{rules}' does not exist");
            }

            var result = await RedactionPolicy.LoadAsync(rules, key, cancellationToken).ConfigureAwait(false);
            if (!result.IsValid)
            {
                throw new UsageException(string.Join(Environment.NewLine + "reprise: error: ", result.Errors));
            }

            policy = result.Policy!;
        }
        else
        {
            policy = RedactionPolicy.CreateDefault(key ?? RedactionKey.Ephemeral());
        }

        if (warnEphemeral && policy.Key.IsEphemeral)
        {
            console.Warn($"no redaction key (set {RedactionKey.EnvironmentVariable} or --key-file): tokens are consistent within this run only");
        }

        return policy;
    }
}
