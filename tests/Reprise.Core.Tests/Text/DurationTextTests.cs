using Reprise.Core.Text;
using Xunit;

namespace Reprise.Core.Tests.Text;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("500MS", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("1.5S", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData(" 10s ", 10_000)]
    [InlineData("0s", 0)]
    [InlineData("45", 45_000)]
    public void Parses(string text, double milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("-1s")]
    [InlineData("ten seconds")]
    [InlineData("1d")]
    [InlineData("NaNs")]
    [InlineData("1e300h")]
    public void Rejects(string text) => Assert.False(DurationText.TryParse(text, out _));

    [Fact]
    public void RequireUnit_RejectsABareNumber_AcceptsEveryUnit()
    {
        Assert.False(DurationText.TryParse("250", out _, requireUnit: true));
        Assert.True(DurationText.TryParse("250ms", out var ms, requireUnit: true));
        Assert.Equal(TimeSpan.FromMilliseconds(250), ms);
        Assert.True(DurationText.TryParse("1h", out var h, requireUnit: true));
        Assert.Equal(TimeSpan.FromHours(1), h);
    }

    [Theory]
    [InlineData("30s")]
    [InlineData("1.5s")]
    [InlineData("250ms")]
    [InlineData("0.5ms")]
    public void Format_RoundTrips(string text)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(text, DurationText.Format(value));
    }
}
