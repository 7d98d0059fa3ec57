using System.Diagnostics;
using Reprise.Replay.Engine;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>Per-request timeouts armed by a sweep: a request still running is cancelled at its deadline, never before.</summary>
public sealed class RequestTimeoutsTests
{
    // The runtime's timers (CancelAfter, as before this class) run on a coarse millisecond clock
    // (Environment.TickCount64, CLOCK_MONOTONIC_COARSE on Linux: 4 ms steps at 250 Hz), so a timer can
    // fire a few milliseconds before a Stopwatch says it is due. "Not before" is checked to that precision.
    private static readonly TimeSpan TimerGranularity = TimeSpan.FromMilliseconds(10); // runtime timers tick on CLOCK_MONOTONIC_COARSE (4-10 ms) and may fire that much early

    [Theory]
    [InlineData(20)] // short enough to be armed exactly at start
    [InlineData(400)] // armed by the sweep near the deadline
    public async Task ARequestStillRunning_IsCancelledAtItsDeadline_NotBefore(int timeoutMs)
    {
        var timeout = TimeSpan.FromMilliseconds(timeoutMs);
        using var timeouts = new RequestTimeouts(timeout);
        var clock = Stopwatch.StartNew();
        var slot = timeouts.Rent(timeout);
        var cancelled = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = slot.Token.Register(() => cancelled.TrySetResult(clock.Elapsed));

        var completed = await Task.WhenAny(cancelled.Task, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        Assert.Same(cancelled.Task, completed);
        Assert.True(await cancelled.Task >= timeout - TimerGranularity, $"cancelled after {(await cancelled.Task).TotalMilliseconds} ms, timeout {timeoutMs} ms");
        registration.Dispose();
        timeouts.Return(slot);
    }

    [Fact]
    public async Task AReusedSlot_TimesOutFromItsNewStart_NotFromThePreviousRequests()
    {
        var timeout = TimeSpan.FromMilliseconds(400);
        using var timeouts = new RequestTimeouts(timeout);

        // The first request runs long enough for the sweep to arm its timer, then ends before the deadline.
        var first = timeouts.Rent(timeout);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(first.Token.IsCancellationRequested);
        timeouts.Return(first);

        var clock = Stopwatch.StartNew();
        var second = timeouts.Rent(timeout);
        Assert.Same(first, second);
        await Task.Delay(250, TestContext.Current.CancellationToken);
        Assert.False(second.Token.IsCancellationRequested, "cancelled by the previous request's deadline");

        var cancelled = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (second.Token.Register(() => cancelled.TrySetResult(clock.Elapsed)))
        {
            Assert.Same(cancelled.Task, await Task.WhenAny(cancelled.Task, Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)));
        }

        Assert.True(await cancelled.Task >= timeout - TimerGranularity);
        timeouts.Return(second);

        // A slot whose token fired is reusable: the next request gets a fresh token.
        var third = timeouts.Rent(timeout);
        Assert.False(third.Token.IsCancellationRequested);
        timeouts.Return(third);
    }
}
