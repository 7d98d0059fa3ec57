using Spectre.Console;

namespace Reprise.Cli.Infrastructure;

/// <summary>
/// Progress for long work: a Spectre spinner with a live count on a terminal, a plain line every
/// five seconds otherwise, nothing with --quiet.
/// </summary>
internal static class CliProgress
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="work"/>, giving it a callback to report the number of exchanges done.</summary>
    public static async Task<T> RunAsync<T>(CliConsole console, string label, Func<Action, Task<T>> work, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        long count = 0;
        if (console.Quiet)
        {
            return await work(() => count++).ConfigureAwait(false);
        }

        if (console.ErrorIsTerminal)
        {
            T result = default!;
            await console.Err.Status().Spinner(Spinner.Known.Dots).StartAsync($"{label}...", async ctx =>
            {
                var last = time.GetTimestamp();
                result = await work(() =>
                {
                    count++;
                    if (time.GetElapsedTime(last) > TimeSpan.FromMilliseconds(100))
                    {
                        last = time.GetTimestamp();
                        ctx.Status($"{label}: {count:N0} exchanges");
                    }
                }).ConfigureAwait(false);
            }).ConfigureAwait(false);
            return result;
        }

        var lastLine = time.GetTimestamp();
        return await work(() =>
        {
            count++;
            if (time.GetElapsedTime(lastLine) >= PlainInterval)
            {
                lastLine = time.GetTimestamp();
                console.Error.WriteLine($"{label}: {count:N0} exchanges");
            }
        }).ConfigureAwait(false);
    }
}
