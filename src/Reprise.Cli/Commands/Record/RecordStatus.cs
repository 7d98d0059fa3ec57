using Reprise.Core.Text;
using System.Globalization;
using Reprise.Capture.Hosting;
using Reprise.Capture.Recording;
using Reprise.Cli.Infrastructure;
using Spectre.Console;

namespace Reprise.Cli.Commands.Record;

/// <summary>The live status of a recorder: a Spectre live line on a terminal, a plain line every interval otherwise.</summary>
internal sealed class RecordStatus(CliConsole console, RecordServer server, TimeProvider timeProvider)
{
    private long _lastExchanges;
    private long _lastTimestamp = timeProvider.GetTimestamp();

    /// <summary>Runs until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        if (console.Quiet)
        {
            await WaitAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (console.ErrorIsTerminal)
        {
            await console.Err.Live(new Markup(Markup.Escape(Line()))).AutoClear(false).StartAsync(async context =>
            {
                while (await WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false))
                {
                    context.UpdateTarget(new Markup(Markup.Escape(Line())));
                }
            }).ConfigureAwait(false);
            return;
        }

        while (await WaitAsync(interval, cancellationToken).ConfigureAwait(false))
        {
            console.Error.WriteLine(Line());
            await console.Error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>One status line (and starts a new rate/latency interval).</summary>
    public string Line()
    {
        var stats = server.Stats;
        var now = timeProvider.GetTimestamp();
        var seconds = timeProvider.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        var exchanges = stats.Exchanges;
        var rate = seconds > 0 ? (exchanges - _lastExchanges) / seconds : 0;
        _lastExchanges = exchanges;
        _lastTimestamp = now;
        var latency = stats.TakeInterval();
        var p99 = latency.Count == 0 ? "-" : latency.PercentileMs(99).ToString("0.###", CultureInfo.InvariantCulture) + " ms";
        return string.Create(CultureInfo.InvariantCulture,
            $"record: {Counted.Of(exchanges, "exchange")} ({rate:0.#}/s), {ByteSize.Format(stats.Bytes)} bodies, {Counted.Of(stats.Errors, "error")}, p99 added {p99}, written {server.Written:N0}, skipped {stats.Skipped:N0}");
    }

    private async Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
