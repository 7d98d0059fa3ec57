using CsCheck;
using Reprise.Capture.Recording;
using Reprise.Core.Protocols;
using Xunit;

namespace Reprise.Capture.Tests.Recording;

public sealed class ExchangeIdsTests
{
    [Fact]
    public void NewId_IsAVersion7UuidSpelledLikeGuidN() =>
        Gen.Long[0, 253402300799999].Sample(ms =>
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            var id = ExchangeIds.NewId(at);
            var guid = Guid.ParseExact(id, "N");
            return id.Length == 32 && id == guid.ToString("N") && guid.Version == 7 && (guid.Variant & 0xC) == 0x8
                && id[..12] == Guid.CreateVersion7(at).ToString("N")[..12]; // the same 48-bit millisecond prefix, so ids sort by start time
        });

    [Fact]
    public void NewId_IsUnique()
    {
        var at = DateTimeOffset.UnixEpoch.AddDays(20000);
        var seen = new HashSet<string>();
        for (var i = 0; i < 100_000; i++)
        {
            Assert.True(seen.Add(ExchangeIds.NewId(at)));
        }
    }

    [Fact]
    public void TraceAndSpanIds_FormAValidTraceparent()
    {
        for (var i = 0; i < 1000; i++)
        {
            var traceId = TraceContext.NewTraceId();
            var spanId = TraceContext.NewSpanId();
            Assert.Equal(32, traceId.Length);
            Assert.Equal(16, spanId.Length);
            Assert.True(TraceContext.TryParse(TraceContext.Format(traceId, spanId), out var parsedTrace, out var parsedParent));
            Assert.Equal(traceId, parsedTrace);
            Assert.Equal(spanId, parsedParent);
        }
    }
}
