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

    /// <summary>
    /// QA round 15b (SOGo over CalDAV): a client named its event <c>qa15b-1795800000-ev</c> (the UID and the resource URL).
    /// The epoch inside the identifier was shifted, so the replay created <c>qa15b-1795801476-ev</c>, and every later answer
    /// naming it differed from the recording (8 false diffs). An epoch joined by a hyphen to a word with letters is part of
    /// that identifier.
    /// </summary>
    [Theory]
    [InlineData("/dav/u1/Calendar/personal/qa15b-1768032000-ev.ics")]
    [InlineData("UID:qa15b-1768032000-ev\r\n")]
    [InlineData("upload-1768032000")]
    [InlineData("1768032000-draft")]
    public void AnEpochInsideAHyphenatedIdentifier_IsNotShifted(string text) =>
        Assert.Equal(text, new TimeShifter(TimeSpan.FromDays(2), RecordingStart).Shift(text));

    /// <summary>A bare epoch, a range of two, and one after a parameter's name still move.</summary>
    [Theory]
    [InlineData("?from=1768032000&to=1768035600", "?from=1768204800&to=1768208400")]
    [InlineData("/render/1768032000-1768035600", "/render/1768204800-1768208400")]
    [InlineData("{\"ts\":1768032000}", "{\"ts\":1768204800}")]
    public void AnEpochOutsideAnIdentifier_StillMoves(string text, string expected) =>
        Assert.Equal(expected, new TimeShifter(TimeSpan.FromDays(2), RecordingStart).Shift(text));
}
