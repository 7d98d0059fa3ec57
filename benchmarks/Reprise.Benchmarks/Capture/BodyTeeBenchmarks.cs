using BenchmarkDotNet.Attributes;
using Reprise.Capture.Bodies;

namespace Reprise.Benchmarks.Capture;

/// <summary>
/// The record hot path: a body streams to the peer in 16 KB chunks while its head (up to the 1 MB cap)
/// is kept for the recording. Tee = <see cref="TeeWriteStream"/> + pooled <see cref="BodyCapture"/>;
/// Simple = forward and append everything to a MemoryStream, then cut at the cap.
/// </summary>
[MemoryDiagnoser]
public class BodyTeeBenchmarks
{
    private const int Cap = 1024 * 1024;
    private const int Chunk = 16 * 1024;
    private byte[] _payload = null!;

    [Params(1024, 64 * 1024, 4 * 1024 * 1024)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[BodyBytes];
        new Random(42).NextBytes(_payload);
    }

    [Benchmark(Baseline = true)]
    public async Task<int> Simple()
    {
        using var all = new MemoryStream();
        var target = Stream.Null;
        for (var offset = 0; offset < _payload.Length; offset += Chunk)
        {
            var chunk = _payload.AsMemory(offset, Math.Min(Chunk, _payload.Length - offset));
            await target.WriteAsync(chunk);
            await all.WriteAsync(chunk);
        }

        var stored = all.ToArray().AsSpan(0, (int)Math.Min(all.Length, Cap)).ToArray();
        return stored.Length;
    }

    [Benchmark]
    public async Task<int> Tee()
    {
        using var capture = new BodyCapture(Cap);
        var tee = new TeeWriteStream(Stream.Null, capture);
        for (var offset = 0; offset < _payload.Length; offset += Chunk)
        {
            await tee.WriteAsync(_payload.AsMemory(offset, Math.Min(Chunk, _payload.Length - offset)));
        }

        return capture.ToArray().Length;
    }
}
