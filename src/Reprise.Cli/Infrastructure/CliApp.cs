using System.CommandLine;
using Reprise.Cli.Commands.Ca;
using Reprise.Cli.Commands.Demo;
using Reprise.Cli.Commands.Diff;
using Reprise.Cli.Commands.Test;
using Reprise.Cli.Commands.Export;
using Reprise.Cli.Commands.Filter;
using Reprise.Cli.Commands.Import;
using Reprise.Cli.Commands.Inspect;
using Reprise.Cli.Commands.Record;
using Reprise.Cli.Commands.Redact;
using Reprise.Cli.Commands.Scan;
using Reprise.Cli.Commands.Mock;
using Reprise.Core.Recording;

namespace Reprise.Cli.Infrastructure;

/// <summary>Builds the command tree and maps every outcome to a documented exit code.</summary>
internal static partial class CliApp
{
    /// <summary>Parses and runs; never throws for user errors.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole? console = null, CancellationToken cancellationToken = default)
    {
        console ??= CliConsole.System();
        var root = BuildRoot(console);
        var parse = root.Parse(args);
        console.Quiet = parse.GetValue(CommonOptions.Quiet);
        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command;
            var name = command == root ? "reprise" : "reprise " + command.Name;
            // One prefix for every user error (docs/cli.md); the hint names the command whose help explains it.
            console.Error.WriteLine($"reprise: error: {Describe(parse, root)} (see '{name} --help')");
            return ExitCodes.UsageError;
        }

        using var shutdown = new ShutdownSignal();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Token);
        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration
                {
                    EnableDefaultExceptionHandler = false,
                    ProcessTerminationTimeout = null,
                    Output = console.Output,
                    Error = console.Error,
                },
                linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is UsageException or RecordingFormatException)
        {
            console.Error.WriteLine($"reprise: error: {ex.Message}");
            return ExitCodes.UsageError;
        }
        catch (RuntimeFailureException ex)
        {
            console.Error.WriteLine($"reprise: error: {ex.Message}");
            return ExitCodes.RuntimeFailure;
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            console.Error.WriteLine("reprise: interrupted");
            return ExitCodes.Interrupted;
        }
        catch (IOException ex)
        {
            console.Error.WriteLine($"reprise: error: {ex.Message}");
            return ExitCodes.RuntimeFailure;
        }
        catch (Exception ex)
        {
            var detail = Environment.GetEnvironmentVariable("REPRISE_DEBUG") is "1" ? ex.ToString() : $"{ex.GetType().Name}: {ex.Message} (set REPRISE_DEBUG=1 for details)";
            console.Error.WriteLine($"reprise: internal error: {detail}");
            return ExitCodes.RuntimeFailure;
        }
    }

    /// <summary>
    /// The first parse error in our words: System.CommandLine says "Required command was not provided"
    /// for an unknown command and "Required argument missing" without naming the argument.
    /// </summary>
    internal static string Describe(ParseResult parse, RootCommand root)
    {
        var command = parse.CommandResult.Command;
        if (command == root)
        {
            var commands = string.Join(", ", root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            var unknown = parse.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-'));
            if (unknown is not null)
            {
                return $"unknown command '{unknown}' (commands: {commands})";
            }

            return $"no command given (commands: {commands})";
        }

        var missing = new List<string>();
        foreach (var argument in command.Arguments)
        {
            if (argument.Arity.MinimumNumberOfValues > 0 && (parse.GetResult(argument) is not { } result || result.Tokens.Count < argument.Arity.MinimumNumberOfValues))
            {
                missing.Add(argument.HelpName ?? argument.Name.ToUpperInvariant());
            }
        }

        if (missing.Count > 0 && parse.Errors.Any(e => e.Message.StartsWith("Required argument missing", StringComparison.Ordinal)))
        {
            return $"missing argument{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(" ", missing)}: usage is 'reprise {command.Name} {string.Join(" ", command.Arguments.Select(a => a.HelpName ?? a.Name.ToUpperInvariant()))} [options]'";
        }

        var first = parse.Errors[0].Message;
        if (CannotParse().Match(first) is { Success: true } match)
        {
            // "Cannot parse argument 'abc' for option '--vus' as expected type 'System.Nullable`1[System.Int32]'."
            var type = match.Groups["type"].Value;
            var expected = type.Contains("UInt", StringComparison.Ordinal) ? "a whole number, 0 or more"
                : type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
                : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) ? "a number"
                : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
                : type.Contains("TimeSpan", StringComparison.Ordinal) ? "a duration"
                : "a valid value";
            return $"{match.Groups["option"].Value}: '{match.Groups["value"].Value}' is not {expected}";
        }

        if (Unrecognized().Match(first) is { Success: true } unrecognized)
        {
            // "Unrecognized command or argument '--outt'."
            var token = unrecognized.Groups["token"].Value;
            if (!token.StartsWith('-'))
            {
                return $"unexpected argument '{token}'";
            }

            var name = token.Split('=', 2)[0];
            var nearest = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))
                .Where(n => n.StartsWith("--", StringComparison.Ordinal))
                .Select(n => (Name: n, Distance: EditDistance(name, n)))
                .Where(c => c.Distance <= Math.Max(1, name.Length / 4))
                .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => c.Name).FirstOrDefault();
            return nearest is null ? $"unknown option '{token}'" : $"unknown option '{token}' (did you mean {nearest}?)";
        }

        if (MissingValue().Match(first) is { Success: true } missingValue)
        {
            // "Required argument missing for option: '--top'."
            return $"{missingValue.Groups["option"].Value}: missing value";
        }

        return first;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'\.?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Unrecognized();

    [System.Text.RegularExpressions.GeneratedRegex(@"^Required argument missing for option: '(?<option>[^']+)'\.?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex MissingValue();

    [System.Text.RegularExpressions.GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex CannotParse();

    /// <summary>The whole command tree.</summary>
    public static RootCommand BuildRoot(CliConsole console)
    {
        var root = new RootCommand(
            """
            Reprise turns real API traffic into tests: record, protect, mock, replay and compare.

            Exit codes: 0 success, 1 a check found problems, 2 usage or input error, 3 runtime failure.
            """);
        root.Options.Add(CommonOptions.Quiet);
        ICliCommand[] commands =
        [
            new DemoCommand(console),
            new RecordCommand(console),
            new ImportCommand(console),
            new InspectCommand(console),
            new FilterCommand(console),
            new RedactCommand(console),
            new ScanCommand(console),
            new MockCommand(console),
            new Commands.Replay.ReplayCommand(console),
            new Commands.Merge.MergeCommand(console),
            new DiffCommand(console),
            new TestCommand(console),
            new ExportCommand(console),
            new CaCommand(console),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command.Create());
        }

        return root;
    }
}
