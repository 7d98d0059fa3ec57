using Reprise.Core.Text;
using Reprise.Cli.Infrastructure;
using Spectre.Console;

namespace Reprise.Cli.Commands.Replay;

/// <summary>
/// Live progress while a replay runs: a Spectre status line with rps, errors and p99 on a terminal,
/// a plain line every five seconds otherwise, nothing with --quiet.
/// </summary>
internal static class ReplayProgressDisplay
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    public static async Task<T> RunAsync<T>(CliConsole console, Func<Reprise.Replay.ReplayProgress> snapshot, Task<T> run)
    {
        if (console.Quiet)
        {
            return await run.ConfigureAwait(false);
        }

        var time = TimeProvider.System;
        long lastCount = 0;
        var lastAt = time.GetTimestamp();
        string Line()
        {
            var now = snapshot();
            var rps = (now.Completed - lastCount) / Math.Max(0.001, time.GetElapsedTime(lastAt).TotalSeconds);
            lastCount = now.Completed;
            lastAt = time.GetTimestamp();
            return $"replay: {now.Completed:N0} sent, {rps:N0} req/s, {Counted.Of(now.Errors, "error")}, p99 {now.P99Ms:0.0} ms, {now.Elapsed.TotalSeconds:0}s";
        }

        if (console.ErrorIsTerminal)
        {
            await console.Err.Status().Spinner(Spinner.Known.Dots).StartAsync("replay: starting...", async ctx =>
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(TimeSpan.FromMilliseconds(500), time)).ConfigureAwait(false);
                    ctx.Status(Markup.Escape(Line()));
                }
            }).ConfigureAwait(false);
            return await run.ConfigureAwait(false);
        }

        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(PlainInterval, time)).ConfigureAwait(false);
            if (!run.IsCompleted)
            {
                console.Error.WriteLine(Line());
            }
        }

        return await run.ConfigureAwait(false);
    }
}
