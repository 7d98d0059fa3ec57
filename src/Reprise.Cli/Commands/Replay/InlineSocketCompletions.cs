namespace Reprise.Cli.Commands.Replay;

/// <summary>
/// Runs socket completions on the epoll thread instead of hopping to the thread pool
/// (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>). The runtime reads the variable once, when its
/// socket engine starts, so this must run before the process opens any socket: at the start of the
/// <c>replay</c> and <c>test</c> actions. Safe there because nothing on replay's completion path blocks
/// (the results sink is a channel write, correlation is in-memory work); measured in docs/perf-replay-client.md.
/// </summary>
internal static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// The variables <see cref="Enable"/> set on its own (not the user's): child processes such as
    /// <c>--token-command</c> must not inherit them.
    /// </summary>
    public static IReadOnlyList<string> SetByReprise { get; private set; } = [];

    /// <summary>Turns inline completions on unless the user set the variable (either way).</summary>
    public static void Enable()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
            SetByReprise = [Variable];
        }
    }
}
