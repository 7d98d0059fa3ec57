using System.Diagnostics;
using Reprise.Replay.Engine;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>Per-request timeouts armed by a sweep: a request still running is cancelled at its deadline, never before.</summary>
public sealed class RequestTimeoutsTests
{
    // The runtime's timers (CancelAfter, as before this class) run on a coarse millisecond clock
    // (Environment.TickCount64, CLOCK_MONOTONIC_COARSE on Linux), so a timer can fire up to one kernel tick
    // (10 ms at HZ=100) plus the millisecond truncation before a Stopwatch says it is due.
    // "Not before" is checked to that precision.
    private static readonly TimeSpan TimerGranularity = TimeSpan.FromMilliseconds(20);

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
        var ct = TestContext.Current.CancellationToken;

        // The first request runs long enough for the sweep to arm its timer (within 200 ms of the deadline),
        // then ends before the deadline. When the machine is so loaded that the test thread wakes up after the
        // deadline, the first token rightly fires and the slot's timer was never left armed: that attempt proves
        // nothing about reuse, so it is repeated (a few times at most).
        RequestTimeouts.Slot first;
        for (var attempt = 1; ; attempt++)
        {
            var firstClock = Stopwatch.StartNew();
            first = timeouts.Rent(timeout);
            var (firstFired, firstRegistration) = FiredAt(firstClock, first.Token);
            await Task.Delay(300, ct);
            var fired = first.Token.IsCancellationRequested;
            await firstRegistration.DisposeAsync();
            timeouts.Return(first);
            if (fired)
            {
                // Measured, not assumed: the token may only have fired at its deadline.
                Assert.True(await firstFired >= timeout - TimerGranularity, $"first request cancelled after {(await firstFired).TotalMilliseconds} ms, timeout 400 ms");
            }

            if (!fired || attempt == 5)
            {
                Assert.False(fired, "the test thread overslept a 300 ms delay past the 400 ms deadline 5 times");
                break;
            }
        }

        var clock = Stopwatch.StartNew();
        var second = timeouts.Rent(timeout);
        var (secondFired, secondRegistration) = FiredAt(clock, second.Token);
        await using var _ = secondRegistration;
        Assert.Same(first, second);

        // The previous request's deadline was about 100 ms into this one: firing then is the bug. When the token
        // fires is measured on the timer's own thread, so a late test thread cannot fail (or pass) this.
        Assert.Same(secondFired, await Task.WhenAny(secondFired, Task.Delay(TimeSpan.FromSeconds(10), ct)));
        Assert.True(await secondFired >= timeout - TimerGranularity, $"cancelled after {(await secondFired).TotalMilliseconds} ms, timeout 400 ms: by the previous request's deadline?");
        timeouts.Return(second);

        // A slot whose token fired is reusable: the next request gets a fresh token.
        var third = timeouts.Rent(timeout);
        Assert.False(third.Token.IsCancellationRequested);
        timeouts.Return(third);
    }

    /// <summary>A task completed with <paramref name="clock"/>'s elapsed time when <paramref name="token"/> fires (on the firing thread).</summary>
    private static (Task<TimeSpan> Fired, CancellationTokenRegistration Registration) FiredAt(Stopwatch clock, CancellationToken token)
    {
        var fired = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = token.UnsafeRegister(static (state, _) =>
        {
            var (source, watch) = ((TaskCompletionSource<TimeSpan>, Stopwatch))state!;
            source.TrySetResult(watch.Elapsed);
        }, (fired, clock));
        return (fired.Task, registration);
    }
}
