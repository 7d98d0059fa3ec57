using System.Text;
using BenchmarkDotNet.Attributes;
using Reprise.Replay.Http;

namespace Reprise.Benchmarks.Replay;

/// <summary>
/// Parsing one small keep-alive response (as TinyTarget answers) from memory: the replay reader without
/// materialising headers (load runs without --out), with them (results kept), and the simple version
/// (StreamReader lines, string split, a header dictionary).
/// </summary>
[MemoryDiagnoser]
public class ResponseParserBenchmarks
{
    private static readonly byte[] Response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Thu, 26 Nov 2026 06:00:00 GMT\r\nServer: Kestrel\r\nContent-Length: 25\r\n\r\n{\"hello\":\"world\",\"n\":42}\n"u8.ToArray();
    private readonly RepeatingSource _source = new();
    private Http1ResponseReader _reader = null!;

    [GlobalSetup]
    public void Setup() => _reader = new Http1ResponseReader(_source);

    [GlobalCleanup]
    public void Cleanup() => _reader.Dispose();

    [Benchmark(Baseline = true)]
    public int Simple()
    {
        using var reader = new StreamReader(new MemoryStream(Response), Encoding.Latin1);
        var status = reader.ReadLine()!.Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? line;
        while ((line = reader.ReadLine()) is { Length: > 0 })
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        var body = new char[int.Parse(headers["Content-Length"], System.Globalization.CultureInfo.InvariantCulture)];
        reader.ReadBlock(body, 0, body.Length);
        return int.Parse(status[1], System.Globalization.CultureInfo.InvariantCulture) + body.Length;
    }

    [Benchmark]
    public int Reader() => Parse(materialize: false);

    [Benchmark]
    public int ReaderMaterialised() => Parse(materialize: true);

    private int Parse(bool materialize)
    {
        _source.Next = Response;
        var head = _reader.ReadHeadAsync(false, materialize);
        if (!head.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("the source completes synchronously");
        }

        var drain = _reader.DrainBodyAsync();
        if (!drain.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("the source completes synchronously");
        }

        return _reader.Head.Status + _reader.Head.Headers.Count;
    }

    private sealed class RepeatingSource : IResponseSource
    {
        public byte[]? Next { get; set; }

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer)
        {
            if (Next is not { } next)
            {
                return ValueTask.FromResult(0);
            }

            Next = null;
            next.CopyTo(buffer);
            return ValueTask.FromResult(next.Length);
        }
    }
}
