using System.CommandLine;
using Reprise.Core.Pipeline;
using Reprise.Redaction.Policy;

namespace Reprise.Cli.Infrastructure;

/// <summary>
/// <c>--rules</c> and <c>--key-file</c>, shared by <c>record</c>, <c>import</c>, <c>redact</c> and <c>scan</c>:
/// validated into a policy before any work starts; every rules-file error is one line.
/// </summary>
internal sealed class RedactionOptionSet
{
    public Option<string?> Rules { get; } = new("--rules") { Description = "A YAML rules file (see docs/redaction.md); default: the built-in policy.", HelpName = "FILE" };

    public Option<string?> KeyFile { get; } = new("--key-file") { Description = "File holding the tokenization key (default: $REPRISE_REDACTION_KEY, else $REPRISE_HOME/redaction.key, created on first use).", HelpName = "FILE" };

    public Option<bool> NoRedact { get; } = new("--no-redact") { Description = "Store exchanges exactly as captured, secrets and personal data included. Prints a warning." };

    /// <param name="command">The command to add the options to.</param>
    /// <param name="allowOptOut">Also add <c>--no-redact</c> (commands that write captured traffic).</param>
    public void AddTo(Command command, bool allowOptOut = false)
    {
        command.Options.Add(Rules);
        command.Options.Add(KeyFile);
        if (allowOptOut)
        {
            command.Options.Add(NoRedact);
        }
    }

    /// <summary>
    /// The redactor for a command that writes captured traffic: the policy, or — only with
    /// <c>--no-redact</c>, and with a warning — <see cref="NoRedaction"/>.
    /// </summary>
    public async Task<IExchangeRedactor> BuildRedactorAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        if (parse.GetValue(NoRedact))
        {
            if (parse.GetValue(Rules) is not null)
            {
                throw new UsageException("--no-redact: cannot be combined with --rules");
            }

            console.Warn("--no-redact: exchanges are stored exactly as captured, including secrets (tokens, cookies, personal data)");
            return NoRedaction.Instance;
        }

        return await BuildAsync(parse, console, warnEphemeral: true, cancellationToken).ConfigureAwait(false);
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

        if (key is null)
        {
            var path = RedactionKey.DefaultPath();
            key = RedactionKey.TryLoadOrCreateDefault(path, out var created, out error);
            if (created)
            {
                console.Info($"created a redaction key at {path} (tokens stay consistent across runs; share it to correlate across machines)");
            }
            else if (key is null)
            {
                console.Warn(error + "; using a key for this run only");
            }
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
