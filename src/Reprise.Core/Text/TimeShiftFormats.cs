namespace Reprise.Core.Text;

/// <summary>Which kinds of dates and timestamps a <see cref="TimeShifter"/> moves.</summary>
[Flags]
public enum TimeShiftFormats
{
    /// <summary>Nothing is shifted.</summary>
    None = 0,

    /// <summary>
    /// ISO 8601 / RFC 3339 date-times: <c>2026-01-10T08:00:00Z</c>, a space or <c>t</c> separator,
    /// optional seconds, 1-9 fraction digits (<c>.</c> or <c>,</c>), zone <c>Z</c>, <c>±hh:mm</c>,
    /// <c>±hhmm</c>, <c>±hh</c> or none (a wall clock, shifted as it is).
    /// </summary>
    IsoDateTime = 1,

    /// <summary>ISO 8601 calendar dates (<c>2026-01-10</c>), shifted by the offset rounded to whole days.</summary>
    IsoDate = 2,

    /// <summary>Unix epoch seconds (10 digits) within a year of the recording start.</summary>
    EpochSeconds = 4,

    /// <summary>Unix epoch milliseconds (13 digits) within a year of the recording start.</summary>
    EpochMilliseconds = 8,

    /// <summary>
    /// RFC 1123 / RFC 9110 HTTP dates (<c>Sat, 10 Jan 2026 08:00:00 GMT</c>) and RFC 5322 dates with a
    /// numeric zone (<c>+0000</c>); the weekday is recomputed.
    /// </summary>
    HttpDate = 16,

    /// <summary>Unix epoch microseconds (16 digits) within a year of the recording start.</summary>
    EpochMicroseconds = 32,

    /// <summary>Unix epoch nanoseconds (19 digits: InfluxDB, OpenTelemetry's <c>timeUnixNano</c>, Go's <c>UnixNano</c>) within a year of the recording start.</summary>
    EpochNanoseconds = 64,

    /// <summary>Every kind above.</summary>
    All = IsoDateTime | IsoDate | EpochSeconds | EpochMilliseconds | HttpDate | EpochMicroseconds | EpochNanoseconds,
}
