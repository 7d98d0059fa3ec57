using Microsoft.AspNetCore.Builder;
using Reprise.Core.Model;
using Reprise.Replay.Pacing;
using Reprise.Replay.Results;
using Reprise.Replay.Tests.Support;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// The scheduling delay (<c>replay.delayUs</c>) is added to latency under <c>--rate</c> only (open model,
/// coordinated omission corrected); under original pacing (<c>--speed</c>, with or without a ramp) the
/// summary's latency is the measured duration, so replay and diff agree.
/// </summary>
public sealed class LatencyAccountingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OriginalPacing_SummaryLatencyIsTheDuration_NoDelayTag(bool ramp)
    {
        await using var target = await SlowThenFastAsync();
        var sink = new ListSink();
        var options = new ReplayOptions { Target = target.Address, Ramp = ramp ? new RampOptions(1, 2, TimeSpan.FromSeconds(1)) : null };
        var summary = await Replayer.RunAsync(options, Recorded.Stream(Session()), sink, TestContext.Current.CancellationToken);

        Assert.All(sink.Results, r => Assert.False(r.Tags.ContainsKey(ReplayTags.DelayMicros), "delay tag under original pacing"));
        var fast = sink.Results.Single(r => r.Request.Url.EndsWith("/fast", StringComparison.Ordinal));
        var stats = summary.Endpoints.Single(e => e.Endpoint.ToString().EndsWith("/fast", StringComparison.Ordinal));
        // The histogram counts whole microseconds: a 56.6 µs answer is 0.056 ms there (1 % of it is less than that step).
        Assert.InRange(stats.Latency().MaxMs, (fast.Duration.TotalMilliseconds * 0.99) - 0.001, (fast.Duration.TotalMilliseconds * 1.01) + 0.01);
    }

    [Fact]
    public async Task Rate_CountsTheQueueingDelay_AndTagsIt()
    {
        await using var target = await SlowThenFastAsync();
        var sink = new ListSink();
        var options = new ReplayOptions { Target = target.Address, Pacing = PacingMode.Rate, Rate = 100 };
        var summary = await Replayer.RunAsync(options, Recorded.Stream(Session()), sink, TestContext.Current.CancellationToken);

        // /fast is due 10 ms in but waits for /slow (same session, 300 ms): the wait is part of its latency.
        var fast = sink.Results.Single(r => r.Request.Url.EndsWith("/fast", StringComparison.Ordinal));
        var delayUs = long.Parse(fast.Tags[ReplayTags.DelayMicros], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(delayUs > 200_000, delayUs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var stats = summary.Endpoints.Single(e => e.Endpoint.ToString().EndsWith("/fast", StringComparison.Ordinal));
        var expected = fast.Duration.TotalMilliseconds + (delayUs / 1000.0);
        Assert.InRange(stats.Latency().MaxMs, expected * 0.99, (expected * 1.01) + 0.01);
    }

    private static List<Exchange> Session() =>
    [
        Recorded.Request("GET", "/slow", 0, session: "s"),
        Recorded.Request("GET", "/fast", 0.01, session: "s"),
    ];

    private static Task<CountingTarget> SlowThenFastAsync() => CountingTarget.StartAsync(app =>
        app.MapGet("/slow", async () =>
        {
            await Task.Delay(300);
            return Microsoft.AspNetCore.Http.Results.Ok();
        }));
}
