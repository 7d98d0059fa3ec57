using Reprise.Core.Text;
using Xunit;

namespace Reprise.Core.Tests.Text;

public sealed class TimeShifterIdTests
{
    private static readonly DateTimeOffset RecordingStart = new(2026, 1, 10, 8, 0, 0, TimeSpan.Zero);

    // 19-digit ids: an X/Twitter snowflake of a tweet from May 2024, a random int63 (Datadog trace id, Go service ids).
    [Theory]
    [InlineData("/2/tweets/1790000000000000000")]
    [InlineData("{\"id_str\":\"1790000000000000000\"}")]
    [InlineData("x-datadog-trace-id: 1777777777777777777")]
    public void NineteenDigitIds_AreNotShifted(string text) =>
        Assert.Equal(text, new TimeShifter(TimeSpan.FromDays(2), RecordingStart).Shift(text));
}
