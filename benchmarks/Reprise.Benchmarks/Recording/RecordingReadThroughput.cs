using System.Diagnostics;
using Reprise.Core.Recording;

namespace Reprise.Benchmarks.Recording;

/// <summary>
/// `format-read-throughput [passes]`: writes 50,000 small (1 KB body) exchanges once, then reads the file
/// on one thread several times and reports exchanges/s per wall-clock second and per CPU second of this
/// process (GC threads included), so the one-core figure stays meaningful on a shared machine.
/// </summary>
internal static class RecordingReadThroughput
{
    private const int Count = 50_000;

    public static async Task<int> RunAsync(int passes)
    {
        var dir = Path.Combine(Path.GetTempPath(), "reprise-read-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, "read.reprise.jsonl");
            await using (var writer = await RecordingWriter.CreateAsync(path, new RecordingHeader { CreatedAt = DateTimeOffset.UnixEpoch }))
            {
                for (var i = 0; i < Count; i++)
                {
                    await writer.WriteAsync(SampleExchanges.Create(i, 1024));
                }

                await writer.CompleteAsync();
            }

            var bytes = new FileInfo(path).Length;
            for (var i = 0; i < 5; i++)
            {
                await ReadAsync(path); // warm up: tiered JIT and PGO settle
            }

            var process = Process.GetCurrentProcess();
            for (var pass = 0; pass < passes; pass++)
            {
                process.Refresh();
                var cpuStart = process.TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                var read = await ReadAsync(path);
                wall.Stop();
                process.Refresh();
                var cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
                Console.WriteLine($"pass {pass + 1}: {read:N0} exchanges ({bytes / 1048576.0:N1} MB) in {wall.Elapsed.TotalMilliseconds:N0} ms: {read / wall.Elapsed.TotalSeconds,9:N0} exchanges/s wall, {read / cpu,9:N0} per CPU-second");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    private static async Task<long> ReadAsync(string path)
    {
        long n = 0;
        await foreach (var exchange in new RecordingReader(path).ReadAsync())
        {
            n += exchange.Request.Url.Length > 0 ? 1 : 0;
        }

        return n;
    }
}
