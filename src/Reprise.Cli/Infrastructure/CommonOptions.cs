using System.CommandLine;
using Reprise.Core.Recording;

namespace Reprise.Cli.Infrastructure;

/// <summary>Options shared by several commands, defined once so their spelling and help never drift.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Print only results and errors (no progress or informational lines).",
        Recursive = true,
    };

    public static Option<bool> SkipInvalid() => new("--skip-invalid")
    {
        Description = "Skip (with a warning) lines of a recording that are not valid exchanges, instead of failing.",
    };

    public static Option<bool> Json(string what) => new("--json")
    {
        Description = $"Print {what} as one JSON object on stdout.",
    };

    public static Option<bool> Force() => new("--force", "-f")
    {
        Description = "Overwrite the output file if it exists.",
    };

    public static Option<string> Output(string description) => new("--out", "-o")
    {
        Description = description,
        Required = true,
        HelpName = "FILE",
    };

    public static Argument<string> Input(string description = "A recording (*.reprise.jsonl[.gz|.zst]) or a HAR file.") => new("input")
    {
        Description = description,
        HelpName = "INPUT",
    };

    /// <summary>Read options that print warnings to stderr.</summary>
    public static RecordingReadOptions ReadOptions(CliConsole console, bool skipInvalid) => new()
    {
        SkipInvalid = skipInvalid,
        OnWarning = warning => console.Warn(warning.ToString()),
    };

    /// <summary>Fails early with a one-line error when the output would replace the input.</summary>
    public static void EnsureDistinct(string input, string output)
    {
        if (string.Equals(Path.GetFullPath(input), Path.GetFullPath(output), StringComparison.Ordinal))
        {
            throw new UsageException($"--out: '{output}' is the input file; write to another file");
        }
    }
}
