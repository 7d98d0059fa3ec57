using Reprise.Cli.Infrastructure;
using Reprise.Replay;
using Reprise.Replay.Http;

namespace Reprise.Cli.Commands.Replay;

/// <summary>How a replay's user-facing failures become CLI errors (shared by <c>replay</c> and <c>test</c>).</summary>
internal static class ReplayFailures
{
    /// <summary>The one-line CLI error for <paramref name="ex"/>, or null when it is not a replay failure the user caused or must see.</summary>
    public static Exception? ToCliError(Exception ex, string inputPath) => ex switch
    {
        ReplayInputException => new UsageException($"{inputPath}: {ex.Message}"),
        ReplayTargetUnreachableException or TokenCommandException => new RuntimeFailureException(ex.Message),
        _ => null,
    };
}
