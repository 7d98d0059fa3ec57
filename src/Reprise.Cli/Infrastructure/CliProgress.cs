using Reprise.Core.Text;
using Reprise.Core.Pipeline;
using Spectre.Console;

namespace Reprise.Cli.Infrastructure;

/// <summary>
/// Progress for long work over an input file: a Spectre progress bar (percent of the file read, and
/// the exchange count) on a terminal, a plain line every five seconds otherwise, nothing with --quiet.
/// </summary>
internal static class CliProgress
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs <paramref name="work"/>, giving it a callback to call once per exchange. When the source
    /// reports how far through its file it is, the bar shows that; otherwise it shows the count.
    /// </summary>
    public static async Task<T> RunAsync<T>(CliConsole console, string label, IExchangeSource? source, Func<Action, Task<T>> work, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var progress = source as IReportsProgress;
        long count = 0;
        if (console.Quiet)
        {
            return await work(() => count++).ConfigureAwait(false);
        }

        if (console.ErrorIsTerminal)
        {
            T result = default!;
            await console.Err.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(label, maxValue: 100);
                    task.IsIndeterminate = progress?.Fraction is null;
                    var last = time.GetTimestamp();
                    result = await work(() =>
                    {
                        count++;
                        if (time.GetElapsedTime(last) > LiveInterval)
                        {
                            last = time.GetTimestamp();
                            task.Description = $"{label}: {Counted.Of(count, "exchange")}";
                            if (progress?.Fraction is { } fraction)
                            {
                                task.IsIndeterminate = false;
                                task.Value = fraction * 100;
                            }
                        }
                    }).ConfigureAwait(false);
                    task.Value = 100;
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
                var percent = progress?.Fraction is { } fraction ? $" ({fraction:P0} of the input)" : string.Empty;
                console.Error.WriteLine($"{label}: {Counted.Of(count, "exchange")}{percent}");
            }
        }).ConfigureAwait(false);
    }
}
