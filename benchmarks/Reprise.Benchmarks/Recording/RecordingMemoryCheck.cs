using System.Diagnostics;
using Reprise.Core.Recording;

namespace Reprise.Benchmarks.Recording;

/// <summary>
/// Writes a recording of the requested size, then reads it back while sampling the process's peak
/// working set, and prints exchanges/s, MB/s and peak memory. Run for two sizes to show memory is flat.
/// </summary>
internal static class RecordingMemoryCheck
{
    public static async Task<int> RunAsync(double gigabytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"reprise-memcheck-{Guid.NewGuid():N}.reprise.jsonl");
        try
        {
            var target = (long)(gigabytes * 1024 * 1024 * 1024);
            var exchange = SampleExchanges.Create(0, 1024);
            long written = 0;
            await using (var writer = await RecordingWriter.CreateAsync(path, new RecordingHeader { CreatedAt = DateTimeOffset.UnixEpoch }))
            {
                while (writer.BytesWritten < target)
                {
                    await writer.WriteAsync(exchange with { Id = "ex-" + written++ });
                }

                await writer.CompleteAsync();
            }

            var size = new FileInfo(path).Length;
            GC.Collect();
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var baseline = process.WorkingSet64;
            long peak = baseline, count = 0;
            var clock = Stopwatch.StartNew();
            await foreach (var e in new RecordingReader(path).ReadAsync())
            {
                if (++count % 50_000 == 0)
                {
                    process.Refresh();
                    peak = Math.Max(peak, process.WorkingSet64);
                }
            }

            clock.Stop();
            process.Refresh();
            peak = Math.Max(peak, process.WorkingSet64);
            Console.WriteLine($"file {size / (1024.0 * 1024):N0} MB, {count:N0} exchanges read in {clock.Elapsed.TotalSeconds:N1} s: "
                + $"{count / clock.Elapsed.TotalSeconds:N0} exchanges/s, {size / (1024.0 * 1024) / clock.Elapsed.TotalSeconds:N0} MB/s; "
                + $"working set before {baseline / (1024.0 * 1024):N0} MB, peak while reading {peak / (1024.0 * 1024):N0} MB");
            return 0;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
