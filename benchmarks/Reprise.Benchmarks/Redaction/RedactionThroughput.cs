using System.Diagnostics;
using Reprise.Core.Model;
using Reprise.Redaction.Policy;

namespace Reprise.Benchmarks.Redaction;

/// <summary>
/// `redaction-throughput`: redacts the benchmark bodies in a loop on one thread and reports MB/s both
/// per wall-clock second and per CPU second of this process, so the per-core figure stays meaningful
/// on a machine shared with other builds (BenchmarkDotNet measures wall time only).
/// </summary>
internal static class RedactionThroughput
{
    public static int Run()
    {
        var policy = RedactionPolicy.CreateDefault(RedactionKey.FromText("benchmark-key-0123456789abcdef"));
        foreach (var size in new[] { 1024, 1024 * 1024 })
        {
            var body = RedactionBenchmarks.Body(size);
            var exchange = new Exchange
            {
                Id = "bench",
                StartedAt = DateTimeOffset.UnixEpoch,
                Request = new ExchangeRequest { Method = "GET", Url = "https://api.shop.test/api/orders?page=2", Headers = [new("Accept", "application/json"), new("Authorization", "Bearer abcdef0123456789abcdef")] },
                Response = new ExchangeResponse { Status = 200, Headers = [new("Content-Type", "application/json")], Body = ExchangeBody.FromBytes(body, "application/json") },
            };
            var iterations = Math.Max(20, 200_000_000 / body.Length / 4);
            for (var i = 0; i < Math.Max(5, iterations / 10); i++)
            {
                policy.Redact(exchange);
            }

            var process = Process.GetCurrentProcess();
            var cpuStart = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var redactions = 0;
            for (var i = 0; i < iterations; i++)
            {
                redactions += policy.Redact(exchange).Redactions.Length;
            }

            wall.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuStart;
            var megabytes = (double)body.Length * iterations / (1024 * 1024);
            Console.WriteLine($"body {body.Length,9:N0} B x {iterations,6:N0}: {megabytes / wall.Elapsed.TotalSeconds,8:N1} MB/s wall, {megabytes / cpu.TotalSeconds,8:N1} MB/s per CPU-second ({redactions / iterations} redactions per exchange)");
        }

        return 0;
    }
}
