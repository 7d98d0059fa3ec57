using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reprise.Core.Model;
using Reprise.Replay.Pacing;
using Reprise.Replay.Results;
using Reprise.Replay.Tests.Support;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>Original pacing driven by a FakeTimeProvider: a 10-minute recording replays in well under a second.</summary>
public sealed class PacingTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(4.0)]
    public async Task OriginalPacing_SendsAtTheRecordedOffsets(double speed)
    {
        double[] offsets = [0, 0.25, 1.5, 31.5, 151.5, 600];
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var handler = new ClockHandler(time);
        var recorded = offsets.Select((o, i) => Recorded.Request("GET", "/p/" + i, o)).ToList();
        var ct = TestContext.Current.CancellationToken;
        var run = Replayer.RunAsync(new ReplayOptions { Target = new Uri("http://target.test/"), Handler = handler, TimeProvider = time, Speed = speed }, Recorded.Stream(recorded), new ListSink(), ct);

        await WaitForAsync(() => handler.Sent.Count == 1, ct);
        var t0 = handler.Sent.First();
        for (var i = 1; i < offsets.Length; i++)
        {
            var gap = TimeSpan.FromSeconds((offsets[i] - offsets[i - 1]) / speed);
            time.Advance(gap - TimeSpan.FromMilliseconds(1));
            await Task.Delay(30, ct);
            Assert.Equal(i, handler.Sent.Count); // not early
            time.Advance(TimeSpan.FromMilliseconds(1));
            await WaitForAsync(() => handler.Sent.Count == i + 1, ct);
        }

        var summary = await run;
        var sent = handler.Sent.ToList();
        for (var i = 0; i < offsets.Length; i++)
        {
            var expected = TimeSpan.FromSeconds(offsets[i] / speed);
            Assert.InRange((sent[i] - t0 - expected).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(offsets.Length, summary.Sent);
    }

    [Fact]
    public async Task Rate_WithRamp_FollowsTheIntegratedSchedule()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var handler = new ClockHandler(time);
        var recorded = Enumerable.Range(0, 40).Select(i => Recorded.Request("GET", "/r/" + i, i)).ToList();
        var ramp = new RampOptions(1, 3, TimeSpan.FromSeconds(10));
        var ct = TestContext.Current.CancellationToken;
        var run = Replayer.RunAsync(new ReplayOptions { Target = new Uri("http://target.test/"), Handler = handler, TimeProvider = time, Pacing = PacingMode.Rate, Rate = 1, Ramp = ramp }, Recorded.Stream(recorded), NullResultSink.Instance, ct);
        await WaitForAsync(() => handler.Sent.Count == 1, ct);
        var t0 = handler.Sent.First();
        for (var i = 1; i < recorded.Count; i++)
        {
            var due = t0 + TimeSpan.FromSeconds(ramp.WallSeconds(i));
            time.Advance(due - time.GetUtcNow() - TimeSpan.FromMilliseconds(2));
            await Task.Delay(10, ct);
            Assert.Equal(i, handler.Sent.Count); // not early
            time.Advance(due - time.GetUtcNow());
            await WaitForAsync(() => handler.Sent.Count == i + 1, ct);
        }

        await run;
        var sent = handler.Sent.ToList();
        Assert.Equal(40, sent.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            var expected = TimeSpan.FromSeconds(ramp.WallSeconds(i));
            Assert.InRange((sent[i] - t0 - expected).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        }

        // The ramp compresses the gaps: from 1 s at 1x towards 1/3 s at 3x.
        Assert.True(sent[1] - sent[0] > sent[^1] - sent[^2]);
    }

    [Fact]
    public async Task OriginalPacing_GapLongerThanTheTimerLimit_WaitsInChunks_AndSaysSo()
    {
        // 74 days is past Task.Delay's ~49.7-day limit: the wait must be chunked, never a crash.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var handler = new ClockHandler(time);
        var gap = TimeSpan.FromDays(74);
        var recorded = new[] { Recorded.Request("GET", "/first", 0), Recorded.Request("GET", "/later", gap.TotalSeconds) };
        var notices = new ConcurrentQueue<string>();
        var ct = TestContext.Current.CancellationToken;
        var run = Replayer.RunAsync(new ReplayOptions { Target = new Uri("http://target.test/"), Handler = handler, TimeProvider = time, TimeShift = false, OnNotice = notices.Enqueue }, Recorded.Stream(recorded), new ListSink(), ct);

        await WaitForAsync(() => handler.Sent.Count == 1, ct);
        await WaitForAsync(() => !notices.IsEmpty, ct);
        var notice = Assert.Single(notices);
        Assert.Contains("74 days", notice, StringComparison.Ordinal);
        Assert.Contains("--speed", notice, StringComparison.Ordinal);
        Assert.Contains("--rate", notice, StringComparison.Ordinal);
        var t0 = handler.Sent.First();
        for (var day = 0; day < 73; day++)
        {
            time.Advance(TimeSpan.FromDays(1));
            await Task.Yield();
        }

        await Task.Delay(30, ct);
        Assert.Single(handler.Sent); // not early
        time.Advance(TimeSpan.FromDays(1));
        await WaitForAsync(() => handler.Sent.Count == 2, ct);
        var summary = await run;
        Assert.Equal(2, summary.Sent);
        Assert.InRange((handler.Sent.Last() - t0 - gap).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(10));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(7.5, 5)]
    [InlineData(20, 10)]
    [InlineData(26, 12)]
    public void Ramp_WallSeconds_IntegratesTheMultiplier(double virtualSeconds, double wall) =>
        Assert.Equal(wall, new RampOptions(1, 3, TimeSpan.FromSeconds(10)).WallSeconds(virtualSeconds), 6);

    [Theory]
    [InlineData("1x:10x:30s", 1, 10, 30)]
    [InlineData("0.5:2x:500ms", 0.5, 2, 0.5)]
    public void Ramp_Parses(string text, double from, double to, double seconds)
    {
        var ramp = RampOptions.TryParse(text, out var error);
        Assert.Null(error);
        Assert.Equal(new RampOptions(from, to, TimeSpan.FromSeconds(seconds)), ramp);
    }

    [Theory]
    [InlineData("10x")]
    [InlineData("1x:0x:30s")]
    [InlineData("1x:2x:soon")]
    public void Ramp_RejectsBadText(string text)
    {
        Assert.Null(RampOptions.TryParse(text, out var error));
        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken ct)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(30) && !condition();)
        {
            await Task.Delay(10, ct);
        }

        Assert.True(condition(), "condition not reached within 30 s");
    }

    /// <summary>Answers 200 at once and notes the fake clock's time of each send.</summary>
    [Fact]
    public async Task FileOutOfStartOrder_SentInTheOrderTheRequestsStarted()
    {
        // Written in completion order (an older recorder, a merge): the first request is third in the file.
        var recorded = new[] { Recorded.Request("GET", "/second", 0.2, session: "u1"), Recorded.Request("GET", "/third", 0.4, session: "u1"), Recorded.Request("GET", "/first", 0, session: "u1"), Recorded.Request("GET", "/fourth", 0.6, session: "u1") };
        var handler = new PathHandler();
        var ct = TestContext.Current.CancellationToken;

        var summary = await Replayer.RunAsync(new ReplayOptions { Target = new Uri("http://target.test/"), Handler = handler, Pacing = PacingMode.Vus, Vus = 1 }, Recorded.Stream(recorded), NullResultSink.Instance, ct);

        Assert.Equal(4, summary.Sent);
        Assert.Equal(["/first", "/second", "/third", "/fourth"], handler.Paths);
    }

    private sealed class PathHandler : HttpMessageHandler
    {
        public ConcurrentQueue<string> Paths { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Paths.Enqueue(request.RequestUri!.AbsolutePath);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        }
    }

    private sealed class ClockHandler(TimeProvider time) : HttpMessageHandler
    {
        public ConcurrentQueue<DateTimeOffset> Sent { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent.Enqueue(time.GetUtcNow());
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        }
    }
}
