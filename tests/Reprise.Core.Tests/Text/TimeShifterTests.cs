using System.Globalization;
using CsCheck;
using Reprise.Core.Text;
using Xunit;

namespace Reprise.Core.Tests.Text;

public sealed class TimeShifterTests
{
    private static readonly DateTimeOffset RecordingStart = new(2026, 1, 10, 8, 0, 0, TimeSpan.Zero);

    private static string Shift(string text, TimeSpan offset, TimeShiftFormats formats = TimeShiftFormats.All) =>
        new TimeShifter(offset, RecordingStart, formats).Shift(text);

    // From replay's former TimeShifter.
    [Theory]
    [InlineData("from=2026-01-10T08:00:00Z", "from=2026-01-12T08:00:00Z")]
    [InlineData("\"at\":\"2026-01-10T08:00:00.123+02:00\"", "\"at\":\"2026-01-12T08:00:00.123+02:00\"")]
    [InlineData("day=2026-01-10&x=1", "day=2026-01-12&x=1")]
    [InlineData("ts=1768032000", "ts=1768204800")]
    [InlineData("ms=1768032000000", "ms=1768204800000")]
    [InlineData("order=1234567890123456", "order=1234567890123456")]
    [InlineData("version=2.0.1 id=42", "version=2.0.1 id=42")]
    [InlineData("phone=5551234567", "phone=5551234567")]
    [InlineData("{\"validUntil\":\"9999-12-31T23:59:59Z\"}", "{\"validUntil\":\"9999-12-31T23:59:59Z\"}")] // sentinels stay; no overflow
    [InlineData("until=9999-12-31&since=2026-01-10", "until=9999-12-31&since=2026-01-12")]
    [InlineData("\"at\":\"9999-12-31T22:00:00-05:00\"", "\"at\":\"9999-12-31T22:00:00-05:00\"")]
    // Differences between the two former implementations, now one behaviour.
    [InlineData("at=2026-01-10 08:00:00", "at=2026-01-12 08:00:00")] // space separator, no zone (replay only)
    [InlineData("at=2026-01-10T08:00:00+0200", "at=2026-01-12T08:00:00+0200")] // basic offset (replay only)
    [InlineData("at=2026-01-10T08:00:00z", "at=2026-01-12T08:00:00z")] // lower-case zone (replay only)
    [InlineData("at=2026-01-10T08:00:00.123456789Z", "at=2026-01-12T08:00:00.123456789Z")] // 9 digits kept (both cut to 7)
    [InlineData("at=2026-01-10T08:00:00,5Z", "at=2026-01-12T08:00:00,5Z")] // ISO decimal comma (neither)
    [InlineData("at=2026-01-10T08:00Z", "at=2026-01-12T08:00Z")] // no seconds (neither)
    [InlineData("at=2026-01-10 08:00:00+02", "at=2026-01-12 08:00:00+02")] // hour-only offset, as PostgreSQL writes (neither)
    [InlineData("at=2026-01-10t08:00:00Z", "at=2026-01-12t08:00:00Z")] // RFC 3339 lower-case separator (neither)
    [InlineData("If-Modified-Since: Sat, 10 Jan 2026 08:00:00 GMT", "If-Modified-Since: Mon, 12 Jan 2026 08:00:00 GMT")] // HTTP date (mock headers only)
    [InlineData("Date: Sat, 10 Jan 2026 08:00:00 +0100", "Date: Mon, 12 Jan 2026 08:00:00 +0100")] // RFC 5322 numeric zone (neither)
    [InlineData("Date: Sat, 3 Jan 2026 08:00:00 GMT", "Date: Mon, 5 Jan 2026 08:00:00 GMT")] // one-digit day kept one digit
    [InlineData("Date: Fri, 10 Jan 2026 08:00:00 GMT", "Date: Fri, 10 Jan 2026 08:00:00 GMT")] // wrong weekday: not a date
    [InlineData("at=2026-02-30T08:00:00Z", "at=2026-02-30T08:00:00Z")] // not a calendar date
    [InlineData("at=2026-01-10T24:00:00Z", "at=2026-01-10T24:00:00Z")]
    [InlineData("id=2026-01-10T08:00:00Zabc", "id=2026-01-10T08:00:00Zabc")] // part of a longer token: left whole
    [InlineData("file=2026-01-10.json", "file=2026-01-10.json")]
    [InlineData("on 2026-01-10.", "on 2026-01-12.")] // a sentence's full stop is not part of a token
    [InlineData("ts=1768032000.5", "ts=1768204800.5")] // epoch seconds with a fraction: the seconds move (QA round 7)
    [InlineData("query=up&start=1768032000.000&end=1768032010.000&step=2s", "query=up&start=1768204800.000&end=1768204810.000&step=2s")] // Prometheus query_range
    [InlineData("\"ts\":\"1768032000.000216\"", "\"ts\":\"1768204800.000216\"")] // Slack's message ts
    [InlineData("v=1262304000.25", "v=1262304000.25")] // far from the recording: not a time
    [InlineData("ip=1768032000.1.2", "ip=1768032000.1.2")] // a dotted token, not a number
    [InlineData("old=1262304000", "old=1262304000")] // epoch far from the recording: an id, not a time
    // QA round 8 (InfluxDB 1.x): InfluxQL time literals with their unit, nanosecond and microsecond epochs.
    [InlineData("q=SELECT+mean(x)+FROM+cpu+WHERE+time+%3e%3d+1768032000s+AND+time+%3c%3d+1768032060s", "q=SELECT+mean(x)+FROM+cpu+WHERE+time+%3e%3d+1768204800s+AND+time+%3c%3d+1768204860s")]
    [InlineData("time > 1768032000000ms", "time > 1768204800000ms")]
    [InlineData("time >= 1768032000000000000", "time >= 1768204800000000000")] // nanoseconds (InfluxDB line protocol, OTLP timeUnixNano)
    [InlineData("\"timeUnixNano\":\"1768032000123456789\"", "\"timeUnixNano\":\"1768204800123456789\"")]
    [InlineData("t=1768032000000000ns", "t=1768032000000000ns")] // a unit that does not fit the digit count: not a time
    [InlineData("t=1768032000000000u", "t=1768204800000000u")] // microseconds, InfluxDB's u
    [InlineData("t=1768032000m", "t=1768032000m")] // minutes? not an epoch unit: left alone
    [InlineData("id=1262304000000000000", "id=1262304000000000000")] // 19 digits far from the recording: an id
    [InlineData("id=1765440000123456789", "id=1765440000123456789")] // 19 digits a month before the recording: a 64-bit id, not a time (a week's window for ns)
    [InlineData("id=1770537600123456", "id=1770537600123456")] // 16 digits a month after: an id, not µs
    [InlineData("ts=1767600000123456789", "ts=1767772800123456789")] // ns five days before the recording: a time
    [InlineData("id=12345678901234567890", "id=12345678901234567890")] // 20 digits: never a time
    [InlineData("{\"from\":\"0001-01-01T00:00:00Z\"}", "{\"from\":\"0001-01-01T00:00:00Z\"}")]
    public void Shift_ByTwoDays(string input, string expected) =>
        Assert.Equal(expected, Shift(input, TimeSpan.FromDays(2)));

    /// <summary>
    /// The shift is "now − recording start", never whole seconds: a point written in seconds and the nanosecond range
    /// selecting it must move by the same amount, or the replayed query misses the point (InfluxDB, QA round 8).
    /// </summary>
    [Fact]
    public void Shift_SubSecondOffset_EveryEpochUnitMovesByTheSameWholeSeconds()
    {
        var offset = TimeSpan.FromSeconds(342.9112632);
        Assert.Equal(
            "s=1768032342 ms=1768032342000 us=1768032342000000 ns=1768032342000000000",
            Shift("s=1768032000 ms=1768032000000 us=1768032000000000 ns=1768032000000000000", offset));
    }

    [Theory]
    [InlineData("{\"from\":\"0001-01-01T00:00:00Z\",\"d\":\"0001-01-01\"}")]
    [InlineData("Mon, 01 Jan 0001 00:00:00 GMT")]
    [InlineData("0001-01-01T03:00:00+05:00")] // the wall clock fits, the instant would not
    [InlineData("{\"until\":\"9999-12-31T23:59:59.9999999Z\",\"d\":\"9999-12-31\"}")]
    [InlineData("Fri, 31 Dec 9999 23:59:59 GMT")]
    [InlineData("9999-12-30T00:00:00")]
    public void Shift_Sentinels_StayAsRecordedInBothDirections(string text)
    {
        Assert.Equal(text, Shift(text, TimeSpan.FromDays(-2)));
        Assert.Equal(text, Shift(text, TimeSpan.FromDays(2)));
    }

    [Fact]
    public void Shift_HugeOffsets_NeverThrow()
    {
        const string text = "2026-01-10T08:00:00Z 2026-01-10 1768032000 1768032000000 Sat, 10 Jan 2026 08:00:00 GMT";
        Assert.Equal(text, Shift(text, TimeSpan.MaxValue));
        Assert.Equal(text, Shift(text, TimeSpan.MinValue));
    }

    [Fact]
    public void Shift_SubDayOffset_KeepsTheRecordedPrecision() =>
        Assert.Equal("2026-01-10T09:30:00.1Z 2026-01-10T09:30:00Z", Shift("2026-01-10T08:00:00.0Z 2026-01-10T08:00:00Z", TimeSpan.FromSeconds(5400.15)));

    [Fact]
    public void Shift_HonoursTheFormatsItIsGiven()
    {
        const string text = "2026-01-10T08:00:00Z 2026-01-10 1768032000 1768032000000 Sat, 10 Jan 2026 08:00:00 GMT";
        Assert.Equal("2026-01-12T08:00:00Z 2026-01-10 1768032000 1768032000000 Sat, 10 Jan 2026 08:00:00 GMT", Shift(text, TimeSpan.FromDays(2), TimeShiftFormats.IsoDateTime));
        Assert.Equal("2026-01-10T08:00:00Z 2026-01-10 1768204800 1768032000000 Mon, 12 Jan 2026 08:00:00 GMT", Shift(text, TimeSpan.FromDays(2), TimeShiftFormats.EpochSeconds | TimeShiftFormats.HttpDate));
        Assert.Same(text, Shift(text, TimeSpan.FromDays(2), TimeShiftFormats.None));
    }

    [Fact]
    public void Shift_Utf8Body_ReturnsTheSameMemoryWhenNothingMoves()
    {
        ReadOnlyMemory<byte> body = "{\"n\":\"none here\",\"v\":\"2.0.1\"}"u8.ToArray();
        var shifter = new TimeShifter(TimeSpan.FromDays(2), RecordingStart);
        Assert.True(shifter.Shift(body).Equals(body));
        ReadOnlyMemory<byte> binary = new byte[] { 0xff, 0xfe, (byte)'2', (byte)'0', (byte)'2', (byte)'6', (byte)'-', (byte)'0', (byte)'1' };
        Assert.True(shifter.Shift(binary).Equals(binary));
        Assert.Equal("{\"at\":\"2026-01-12T08:00:00Z\"}", System.Text.Encoding.UTF8.GetString(shifter.Shift("{\"at\":\"2026-01-10T08:00:00Z\"}"u8.ToArray()).Span));
    }

    [Fact]
    public void Shift_ThenUnshift_IsIdentityForIsoTimestamps() =>
        Gen.Long[0, 365L * 24 * 3600].Select(Gen.Int[-1000, 1000]).Sample((seconds, shiftHours) =>
        {
            var at = RecordingStart.AddSeconds(seconds - (180L * 24 * 3600));
            var text = $"{{\"at\":\"{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\"}}";
            var shift = TimeSpan.FromHours(shiftHours);
            var shifted = Shift(text, shift);
            Assert.Equal(text, Shift(shifted, -shift));
        });

    [Fact]
    public void Shift_AnyShapeAndZone_MovesTheInstantByTheOffset_AndKeepsTheShape() =>
        Gen.Long[-400L * 24 * 3600, 400L * 24 * 3600].Select(Gen.Int[0, 7], Gen.Int[-14 * 4, 14 * 4], Gen.Long[-(1L << 40), 1L << 40]).Sample((seconds, digits, quarterHours, shiftTicks) =>
        {
            var zone = TimeSpan.FromMinutes(quarterHours * 15);
            var at = RecordingStart.AddSeconds(seconds).AddTicks(seconds % 9_999_999).ToOffset(zone);
            var format = "yyyy-MM-dd'T'HH:mm:ss" + (digits > 0 ? "." + new string('f', digits) : string.Empty) + "zzz";
            var text = at.ToString(format, CultureInfo.InvariantCulture);
            var shift = TimeSpan.FromTicks(shiftTicks);
            var shifted = Shift(text, shift);
            Assert.Equal(text.Length, shifted.Length);
            var parsed = DateTimeOffset.ParseExact(shifted, format, CultureInfo.InvariantCulture);
            Assert.Equal(zone, parsed.Offset);
            var expected = DateTimeOffset.ParseExact(text, format, CultureInfo.InvariantCulture) + shift;
            Assert.Equal(expected.ToString(format, CultureInfo.InvariantCulture), shifted);
        });
}
