using BenchmarkDotNet.Attributes;
using Reprise.Core.Model;
using Reprise.Core.Recording;

namespace Reprise.Benchmarks.Recording;

/// <summary>
/// Write and read throughput of the recording format, small (1 KB) and large (1 MB body) exchanges.
/// Each operation is one file of <see cref="Count"/> exchanges; divide by Count for per-exchange cost.
/// </summary>
[MemoryDiagnoser]
public class RecordingFormatBenchmarks
{
    private string _dir = null!;
    private string _readPath = null!;
    private Exchange[] _exchanges = null!;
    private byte[][] _lines = null!;

    [Params(1024, 1024 * 1024)]
    public int BodyBytes { get; set; }

    public int Count => BodyBytes >= 1024 * 1024 ? 50 : 50_000;

    [GlobalSetup]
    public async Task Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "reprise-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        _exchanges = Enumerable.Range(0, Count).Select(i => SampleExchanges.Create(i, BodyBytes)).ToArray();
        _readPath = Path.Combine(_dir, "read.reprise.jsonl");
        await Write(_readPath);
        _lines = [.. _exchanges.Select(ExchangeJson.Serialize)];
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark]
    public async Task<long> Write()
    {
        var path = Path.Combine(_dir, "write.reprise.jsonl");
        File.Delete(path);
        return await Write(path);
    }

    /// <summary>Parsing alone, from lines already in memory: what the read path costs beyond I/O and line splitting.</summary>
    [Benchmark]
    public long ParseOnly()
    {
        long n = 0;
        foreach (var line in _lines)
        {
            n += ExchangeJson.Parse(line).Request.Url.Length;
        }

        return n;
    }

    [Benchmark]
    public async Task<long> Read()
    {
        long n = 0;
        await foreach (var exchange in new RecordingReader(_readPath).ReadAsync())
        {
            n += exchange.Request.Url.Length;
        }

        return n;
    }

    private async Task<long> Write(string path)
    {
        await using var writer = await RecordingWriter.CreateAsync(path, new RecordingHeader { CreatedAt = DateTimeOffset.UnixEpoch });
        foreach (var exchange in _exchanges)
        {
            await writer.WriteAsync(exchange);
        }

        await writer.CompleteAsync();
        return writer.Count;
    }
}
