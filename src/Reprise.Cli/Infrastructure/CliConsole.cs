using Spectre.Console;

namespace Reprise.Cli.Infrastructure;

/// <summary>
/// Where a command writes: results to stdout (tables, JSON), diagnostics and progress to stderr.
/// Spectre output falls back to plain text when the stream is not a terminal.
/// </summary>
internal sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, bool outputIsTerminal, bool errorIsTerminal)
    {
        Output = output;
        Error = error;
        OutputIsTerminal = outputIsTerminal;
        ErrorIsTerminal = errorIsTerminal;
        Out = Create(output, outputIsTerminal);
        Err = Create(error, errorIsTerminal);
    }

    /// <summary>Plain stdout.</summary>
    public TextWriter Output { get; }

    /// <summary>Plain stderr.</summary>
    public TextWriter Error { get; }

    /// <summary>Spectre console over stdout.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Spectre console over stderr.</summary>
    public IAnsiConsole Err { get; }

    public bool OutputIsTerminal { get; }

    public bool ErrorIsTerminal { get; }

    /// <summary>Set by <c>--quiet</c>: no progress, no informational lines (results and errors still print).</summary>
    public bool Quiet { get; set; }

    /// <summary>The process console.</summary>
    public static CliConsole System() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected, !Console.IsErrorRedirected);

    /// <summary>An informational line on stderr (suppressed by --quiet).</summary>
    public void Info(string message)
    {
        if (!Quiet)
        {
            Error.WriteLine(message);
        }
    }

    /// <summary>A warning line on stderr (always shown).</summary>
    public void Warn(string message) => Error.WriteLine("warning: " + message);

    private static IAnsiConsole Create(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 200;
        }

        return console;
    }
}
