using System.CommandLine;
using Reprise.Core.Pipeline;
using Reprise.Redaction.Policy;

namespace Reprise.Cli.Infrastructure;

/// <summary>
/// <c>--rules</c> (alias <c>--redact-rules</c>), <c>--key-file</c> and <c>--no-redact</c>, shared by every
/// command that redacts (<c>record</c>, <c>import</c>, <c>redact</c>, <c>scan</c>, <c>mock</c>) and by the commands
/// that redact results to compare them with a redacted recording (<c>replay</c>, <c>test</c>, <c>diff</c>, where
/// <c>--rules</c> already means correlation or diff rules, so only <c>--redact-rules</c> is offered):
/// validated into a policy before any work starts; every rules-file error is one line.
/// </summary>
internal sealed class RedactionOptionSet
{
    private readonly string _rulesFlag;

    /// <param name="redactRulesOnly">Name the rules flag <c>--redact-rules</c> only (the command's <c>--rules</c> means something else).</param>
    /// <param name="noRedactDescription">What <c>--no-redact</c> does for this command (default: store exchanges as captured).</param>
    public RedactionOptionSet(bool redactRulesOnly = false, string? noRedactDescription = null)
    {
        NoRedact = new Option<bool>("--no-redact") { Description = noRedactDescription ?? "Store exchanges exactly as captured, secrets and personal data included. Prints a warning." };
        _rulesFlag = redactRulesOnly ? "--redact-rules" : "--rules";
        Rules = redactRulesOnly
            ? new Option<string?>("--redact-rules") { Description = "The redaction rules file the recording was made with (YAML, see docs/redaction.md); default: the built-in policy.", HelpName = "FILE" }
            : new Option<string?>("--rules", "--redact-rules") { Description = "A YAML rules file (see docs/redaction.md); default: the built-in policy.", HelpName = "FILE" };
    }

    public Option<string?> Rules { get; }

    public Option<string?> KeyFile { get; } = new("--key-file") { Description = "File holding the tokenization key (default: $REPRISE_REDACTION_KEY, else $REPRISE_HOME/redaction.key, created on first use).", HelpName = "FILE" };

    public Option<bool> NoRedact { get; }

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
                throw new UsageException("--no-redact: cannot be combined with " + _rulesFlag);
            }

            console.Warn("--no-redact: exchanges are stored exactly as captured, including secrets (tokens, cookies, personal data)");
            return NoRedaction.Instance;
        }

        return await BuildAsync(parse, console, warnEphemeral: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The redactor that makes live traffic comparable with a recording (replay results, the diff's results
    /// side, the mock's incoming requests): the same policy the recording was made with (built-in policy plus
    /// the rules flag, key resolved as <c>record</c> resolves it), so one value gives one token on both sides.
    /// Null when the recording was stored unredacted (redacting one side only would make every personal
    /// field differ) or with <c>--no-redact</c> (with a warning naming what then stays raw).
    /// </summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="console">Where notes and warnings go.</param>
    /// <param name="recording">How the recording was redacted (its header).</param>
    /// <param name="subject">What the choice applies to, e.g. "results are written".</param>
    /// <param name="cancellationToken">Cancels loading a rules file.</param>
    public async Task<IExchangeRedactor?> BuildLikeRecordingAsync(ParseResult parse, CliConsole console, RecordingRedaction recording, string subject, CancellationToken cancellationToken)
    {
        if (parse.GetValue(NoRedact))
        {
            if (parse.GetValue(Rules) is not null)
            {
                throw new UsageException("--no-redact: cannot be combined with " + _rulesFlag);
            }

            console.Warn($"--no-redact: {subject} exactly as received, including secrets (tokens, cookies, personal data)");
            return null;
        }

        if (!recording.Redacted)
        {
            return null;
        }

        var policy = await BuildAsync(parse, console, warnEphemeral: false, cancellationToken).ConfigureAwait(false);
        if (policy.Key.IsEphemeral)
        {
            console.Warn($"no redaction key (set {RedactionKey.EnvironmentVariable} or --key-file): tokens cannot match the ones in {recording.Path}");
        }
        else if (recording.Digest is { } digest && !string.Equals(digest, policy.PolicyDigest, StringComparison.Ordinal))
        {
            console.Warn($"{recording.Path} was redacted with another policy or key ({digest}; now {policy.PolicyDigest}): tokenized values will not line up; use the recording's key ({RedactionKey.EnvironmentVariable} or --key-file) and rules ({_rulesFlag})");
        }

        return policy;
    }

    /// <summary>
    /// The same redactor for another stream (another results file): a policy carries the values it redacted to later
    /// exchanges, so each stream written gets its own (same rules and key, nothing carried yet).
    /// </summary>
    public static IExchangeRedactor? ForNewStream(IExchangeRedactor? redactor) => redactor is RedactionPolicy policy ? policy.NewStream() : redactor;

    /// <summary>The tokens of a results redactor, when its key is a real one (an ephemeral key cannot reproduce the recording's tokens).</summary>
    public static IRedactionTokens? TokensOf(IExchangeRedactor? redactor) => redactor is RedactionPolicy { Key.IsEphemeral: false } policy ? policy : null;

    /// <summary>
    /// The recording's tokens for replay correlation when results are not written (a redacted recording, the key at
    /// hand): null with <c>--no-redact</c>, for a recording that was not redacted, or without a key (no warning: the
    /// run keeps nothing, and without the recording's key no raw id could be matched to its token anyway).
    /// </summary>
    public async Task<IRedactionTokens?> TokensLikeRecordingAsync(ParseResult parse, CliConsole console, RecordingRedaction recording, CancellationToken cancellationToken)
    {
        if (parse.GetValue(NoRedact) || !recording.Redacted)
        {
            return null;
        }

        return TokensOf(await BuildAsync(parse, console, warnEphemeral: false, cancellationToken).ConfigureAwait(false));
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
                throw new UsageException($"{_rulesFlag}: '{rules}' does not exist");
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
