using System.Diagnostics;
using Reprise.Core.Model;
using Reprise.Redaction.Policy;

namespace Reprise.Benchmarks.Redaction;

/// <summary>
/// `redaction-throughput`: redacts each benchmark body in a loop on one thread and reports MB/s both
/// per wall-clock second and per CPU second of this process (JIT and GC threads included), so the
/// per-core figure stays meaningful on a machine shared with other builds (BenchmarkDotNet measures
/// wall time only). Time-based: a warm-up long enough for tiered compilation and dynamic PGO to
/// finish (REDACTION_WARMUP_S, default 4), then REDACTION_ROUNDS (default 5) rounds of
/// REDACTION_ROUND_S (default 2) seconds; the median round is reported with the min and max, and the
/// bytes allocated per exchange over the rounds (a figure the machine's load does not move).
/// REDACTION_BODY=customers-1023k (name-KiB) runs one body only (for perf record). REDACTION_NEW_STREAM=1 redacts every
/// exchange in a new stream of the policy (<see cref="RedactionPolicy.NewStream"/>): nothing carried, nothing cached from
/// the exchanges before (the repeated benchmark exchange otherwise finds its tokens in the stream's cache).
/// REDACTION_VARIANTS=N redacts N variants of each body in turn in one stream, each with its own email addresses (a
/// recording's exchanges carry different people): with N above the stream's token cache (4,096) every exchange computes
/// its tokens and adds its values to what the stream carries, as a long real recording does (at most 64 MB of variants:
/// 64 of a 1 MB body). The variants are built in small batches just before they are redacted (in `record` an exchange
/// is redacted right after it was captured, so its bytes and objects are in cache), and only the redaction is timed:
/// the CPU time of the process is read around each batch of redactions (clock_gettime), in every mode, so the repeated
/// exchange (built once before the rounds) and the variants are measured the same way. REDACTION_VARIANTS_PREBUILT=1
/// builds all N variants before the rounds instead (the measurement before 2026-11-27: 12 MB for N = 8,192 small bodies,
/// each touched again only after the other 8,191, out of cache).
/// </summary>
internal static class RedactionThroughput
{
    private static long s_exchanges;
    private static long s_allocated;
    private static double s_buildCpu;

    public static int Run()
    {
        var warmup = Setting("REDACTION_WARMUP_S", 4);
        var roundSeconds = Setting("REDACTION_ROUND_S", 2);
        var rounds = (int)Setting("REDACTION_ROUNDS", 5);
        Console.WriteLine($"runtime {Environment.Version}, TieredCompilation={Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") ?? "default"}, TieredPGO={Environment.GetEnvironmentVariable("DOTNET_TieredPGO") ?? "default"}, warm-up {warmup}s, {rounds} x {roundSeconds}s");
        var policy = RedactionPolicy.CreateDefault(RedactionKey.FromText("benchmark-key-0123456789abcdef"));
        (string Name, byte[] Body)[] bodies =
        [
            ("orders", RedactionBodies.Orders(1024)),
            ("orders", RedactionBodies.Orders(1024 * 1024)),
            ("customers", RedactionBodies.Customers(2048)),
            ("customers", RedactionBodies.Customers(1024 * 1024)),
        ];
        var only = Environment.GetEnvironmentVariable("REDACTION_BODY");
        foreach (var (name, body) in bodies)
        {
            if (only is not null && only != $"{name}-{body.Length / 1024}k")
            {
                continue;
            }

            // At most 64 MB of variants: a 1 MB body gets 64 (each already has hundreds of values of its own).
            var count = (int)Math.Min(Setting("REDACTION_VARIANTS", 1), Math.Max(1, (64 << 20) / body.Length));
            var source = new VariantSource(body, count, Environment.GetEnvironmentVariable("REDACTION_VARIANTS_PREBUILT") == "1");
            foreach (var v in (int[])[0, 1, 9, 10, 4095, count - 1])
            {
                if (count > 1 && !source.Variant(v).AsSpan().SequenceEqual(VariantSource.VariantByRegex(body, v)))
                {
                    throw new InvalidOperationException($"variant {v} differs from the regular expression's");
                }
            }

            var exchange = source.First;
            var meanLength = source.MeanLength;
            if (Environment.GetEnvironmentVariable("REDACTION_CARRY_PRELOAD") == "1")
            {
                // Worst case for carrying values across exchanges: the stream already carries 1,024 values that are not this
                // exchange's (distinct session tokens), so every exchange is searched for all of them.
                policy = RedactionPolicy.CreateDefault(RedactionKey.FromText("benchmark-key-0123456789abcdef"));
                var random = new Random(7);
                for (var i = 0; i < 1100; i++)
                {
                    var token = Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())) + Convert.ToHexString(BitConverter.GetBytes(random.NextInt64()));
                    policy.Redact(Exchange(System.Text.Encoding.UTF8.GetBytes("{\"sessionToken\":\"" + token + "\"}")));
                }
            }

            var redactions = policy.Redact(exchange).Redactions.Length;
            Loop(policy, source, warmup);
            var results = new List<(double Wall, double Cpu)>();
            var allocatedBefore = s_allocated;
            var exchangesBefore = s_exchanges;
            var buildBefore = s_buildCpu;
            for (var r = 0; r < rounds; r++)
            {
                results.Add(Loop(policy, source, roundSeconds));
            }

            var exchangesMeasured = (double)Math.Max(1, s_exchanges - exchangesBefore);
            var allocatedPerExchange = (s_allocated - allocatedBefore) / exchangesMeasured;
            var built = source.Prebuilt ? $"{source.Count:N0} built before the rounds" : $"built {source.BatchSize} at a time, {(s_buildCpu - buildBefore) / exchangesMeasured * 1e6:N2} µs CPU each, not timed";

            results.Sort((a, b) => a.Cpu.CompareTo(b.Cpu));
            var median = results[results.Count / 2];
            double MegaBytes(double seconds) => meanLength / seconds / (1024 * 1024);
            Console.WriteLine($"{name,-9} {body.Length,9:N0} B: {MegaBytes(median.Wall),7:N1} MB/s wall, {MegaBytes(median.Cpu),7:N1} MB/s per CPU-second (rounds {MegaBytes(results[0].Cpu):N1}..{MegaBytes(results[^1].Cpu):N1}; {redactions} redactions per exchange; {allocatedPerExchange:N0} B allocated per exchange; {(source.Count == 1 ? "one exchange" : $"{source.Count:N0} variants, {built}")})");
        }

        return 0;
    }

    /// <summary>`redaction-sample customers|orders`: prints the start of one redacted 2 KB body and its redaction list (to check what the benchmark measures).</summary>
    public static int Sample(string body)
    {
        var policy = RedactionPolicy.CreateDefault(RedactionKey.FromText("benchmark-key-0123456789abcdef"));
        var bytes = body == "customers" ? RedactionBodies.Customers(2048) : RedactionBodies.Orders(2048);
        var exchange = Exchange(bytes);
        var redacted = policy.Redact(exchange);
        Console.WriteLine(System.Text.Encoding.UTF8.GetString(bytes));
        Console.WriteLine(System.Text.Encoding.UTF8.GetString(redacted.Response!.Body!.Content.Span));
        foreach (var r in redacted.Redactions)
        {
            Console.WriteLine($"{r.Location} {r.Rule} {r.Action}");
        }

        return 0;
    }

    private static Exchange Exchange(byte[] body) => new()
    {
        Id = "bench",
        StartedAt = DateTimeOffset.UnixEpoch,
        Request = new ExchangeRequest { Method = "GET", Url = "https://api.shop.test/api/orders?page=2", Headers = [new("Accept", "application/json"), new("Authorization", "Bearer abcdef0123456789abcdef")] },
        Response = new ExchangeResponse { Status = 200, Headers = [new("Content-Type", "application/json")], Body = ExchangeBody.FromBytes(body, "application/json") },
    };

    /// <summary>
    /// Redacts for about <paramref name="seconds"/> of wall time, a batch at a time; returns the wall and CPU seconds per
    /// exchange of the redactions only (the process's CPU time, JIT and GC threads included, read around each batch).
    /// </summary>
    private static (double Wall, double Cpu) Loop(RedactionPolicy policy, VariantSource source, double seconds)
    {
        var round = Stopwatch.StartNew();
        long wallTicks = 0;
        long cpuNanoseconds = 0;
        var iterations = 0;
        var sink = 0;
        var newStream = Environment.GetEnvironmentVariable("REDACTION_NEW_STREAM") == "1";
        while (round.Elapsed.TotalSeconds < seconds)
        {
            var buildStart = ProcessCpuNanoseconds();
            var batch = source.NextBatch();
            var cpuStart = ProcessCpuNanoseconds();
            s_buildCpu += (cpuStart - buildStart) / 1e9;
            var allocatedStart = GC.GetAllocatedBytesForCurrentThread();
            var wallStart = Stopwatch.GetTimestamp();
            foreach (var exchange in batch)
            {
                sink += (newStream ? policy.NewStream() : policy).Redact(exchange).Redactions.Length;
            }

            wallTicks += Stopwatch.GetTimestamp() - wallStart;
            cpuNanoseconds += ProcessCpuNanoseconds() - cpuStart;
            s_allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedStart;
            iterations += batch.Length;
        }

        s_exchanges += iterations;
        GC.KeepAlive(sink);
        return ((double)wallTicks / Stopwatch.Frequency / iterations, cpuNanoseconds / 1e9 / iterations);
    }

    /// <summary>CPU time of the whole process (all threads), in nanoseconds: <c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c>.</summary>
    private static long ProcessCpuNanoseconds()
    {
        if (OperatingSystem.IsLinux() && NativeMethods.ClockGetTime(NativeMethods.ClockProcessCpuTimeId, out var time) == 0)
        {
            return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
        }

        return Process.GetCurrentProcess().TotalProcessorTime.Ticks * 100; // coarse elsewhere (a tick of the OS clock)
    }

    private static double Setting(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
