namespace Reprise.Cli.Infrastructure;

/// <summary>The documented exit codes of every command (docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>A check found problems: diffs, findings, a failed gate, a strict mock miss.</summary>
    public const int CheckFailed = 1;

    /// <summary>Usage or input error: bad flag, missing or unreadable file, invalid recording or config.</summary>
    public const int UsageError = 2;

    /// <summary>Runtime failure: target unreachable, I/O failure, a bug.</summary>
    public const int RuntimeFailure = 3;

    /// <summary>Interrupted by SIGINT/SIGTERM before the work finished (after flushing what was done).</summary>
    public const int Interrupted = 130;
}
