using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Reprise.Capture.Recording;
using Reprise.Core.Protocols;

namespace Reprise.Benchmarks.Capture;

/// <summary>
/// The ids <c>record</c> makes for every request it forwards: an exchange id (UUIDv7) plus, for a
/// request without traceparent, a trace id and a span id. Simple = what record did before
/// (<see cref="Guid.CreateVersion7(DateTimeOffset)"/> and <see cref="RandomNumberGenerator"/>);
/// Fast = <see cref="ExchangeIds"/> and <see cref="TraceContext"/> (per-thread PRNG).
/// </summary>
[MemoryDiagnoser]
public class ExchangeIdBenchmarks
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch.AddDays(20000);

    [Benchmark(Baseline = true)]
    public int Simple()
    {
        var id = Guid.CreateVersion7(At).ToString("N");
        return id.Length + RandomHex(16).Length + RandomHex(8).Length;
    }

    [Benchmark]
    public int Fast() => ExchangeIds.NewId(At).Length + TraceContext.NewTraceId().Length + TraceContext.NewSpanId().Length;

    private static string RandomHex(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(buffer);
        buffer[0] |= 1;
        return Convert.ToHexStringLower(buffer);
    }
}
