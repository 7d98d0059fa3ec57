using System.Diagnostics;
using System.Net;
using Reprise.Benchmarks.Recording;
using Reprise.Core.Recording;
using Reprise.Replay;
using Reprise.Replay.Pacing;
using Reprise.Replay.Results;

namespace Reprise.Benchmarks.Replay;

/// <summary>
/// <c>replay-memory-check GB</c>: writes an inbound recording of the requested size (one session per
/// 20 exchanges, so sessions and correlation state come and go), replays it with 64 VUs against an
/// in-process handler that answers at once (the engine, reader and result path are measured, not the
/// network), writing results to a file, and prints the peak working set sampled every 250 ms.
/// Run with two sizes: the peak must not grow with the file.
/// </summary>
internal static class ReplayMemoryCheck
{
    public static async Task<int> RunAsync(double gigabytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"reprise-replay-memcheck-{Guid.NewGuid():N}.reprise.jsonl");
        var results = Path.ChangeExtension(path, ".results.jsonl");
        try
        {
            var target = (long)(gigabytes * 1024 * 1024 * 1024);
            var sample = SampleExchanges.Create(0, 1024);
            long written = 0;
            await using (var writer = await RecordingWriter.CreateAsync(path, new RecordingHeader { CreatedAt = DateTimeOffset.UnixEpoch }))
            {
                while (writer.BytesWritten < target)
                {
                    await writer.WriteAsync(sample with
                    {
                        Id = "ex-" + written,
                        Direction = Core.Model.Direction.Inbound,
                        TraceId = (written / 20).ToString("x32", System.Globalization.CultureInfo.InvariantCulture),
                        StartedAt = DateTimeOffset.UnixEpoch.AddMilliseconds(written),
                    });
                    written++;
                }

                await writer.CompleteAsync();
            }

            var size = new FileInfo(path).Length;
            GC.Collect();
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var baseline = process.WorkingSet64;
            long peak = baseline;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    process.Refresh();
                    peak = Math.Max(peak, process.WorkingSet64);
                    await Task.Delay(250, CancellationToken.None);
                }
            });

            var clock = Stopwatch.StartNew();
            var options = new ReplayOptions { Target = new Uri("http://target.test/"), Pacing = PacingMode.Vus, Vus = 64, Handler = new InstantHandler(), TimeShift = false };
            ReplaySummary summary;
            await using (var sink = await RecordingResultSink.CreateAsync(results, Replayer.DescribeRun(options, "memcheck"), overwrite: true, TimeProvider.System, CancellationToken.None))
            {
                summary = await Replayer.RunAsync(options, new RecordingReader(path).ReadAsync(), sink);
            }

            clock.Stop();
            await sampling.CancelAsync();
            await sampler;
            Console.WriteLine($"recording {size / (1024.0 * 1024):N0} MB, {summary.Sent:N0} requests replayed in {clock.Elapsed.TotalSeconds:N1} s "
                + $"({summary.Sent / clock.Elapsed.TotalSeconds:N0}/s, {summary.Sessions:N0} sessions, results {new FileInfo(results).Length / (1024.0 * 1024):N0} MB); "
                + $"working set before {baseline / (1024.0 * 1024):N0} MB, peak while replaying {peak / (1024.0 * 1024):N0} MB");
            return summary.Sent == written ? 0 : 1;
        }
        finally
        {
            File.Delete(path);
            File.Delete(results);
        }
    }

    private sealed class InstantHandler : HttpMessageHandler
    {
        private static readonly byte[] Body = "{\"ok\":true,\"id\":42}"u8.ToArray();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Body) { Headers = { ContentType = new("application/json") } } });
    }
}
