using Reprise.Diff.Model;
using Reprise.Diff.Noise;

namespace Reprise.Diff.Tests.Noise;

/// <summary>
/// QA round 13b (Tiny Tiny RSS's API replayed against a fresh instance): <c>getCounters</c> answers when each feed was
/// last updated as a clock time, <c>"updated": "13:23"</c>, and the replay a few minutes later said <c>"13:25"</c>: the only
/// difference left of 37 exchanges. A clock time alone is as volatile as a date alone (already a timestamp); a clock
/// time becoming a word, or a time with a changed date around it, is still a difference.
/// </summary>
public sealed class TimeOfDayTests
{
    [Theory]
    [InlineData("13:23", "13:25")]
    [InlineData("09:05:59", "23:41:00")]
    public void TwoClockTimes_AreVolatile(string expected, string actual) =>
        Assert.Equal("time of day", VolatileFormats.Shared(expected, actual));

    [Theory]
    [InlineData("13:23", "never")]
    [InlineData("13:23", "25:99")]
    [InlineData("3:23", "13:25")]
    [InlineData("1:2", "1:3")]
    public void NotTwoClockTimes_IsNotNoise(string expected, string actual) =>
        Assert.Null(VolatileFormats.Shared(expected, actual));

    [Fact]
    public void NoiseModel_AFeedsUpdatedTime_IsNoise()
    {
        var model = new NoiseModel([.. DiffRules.Defaults()]);

        Assert.True(model.IsNoise("POST /api/", new Difference("body:$.content[7].updated", DifferenceKind.Changed, "13:23", "13:25")));
    }
}
