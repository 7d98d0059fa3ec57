using System.Diagnostics;
using System.Text.Json;
using Reprise.Redaction.Detection;

namespace Reprise.Benchmarks.Redaction;

/// <summary>`redaction-profile`: splits the per-body cost into reader pass, statistics, and full redaction.</summary>
internal static class RedactionProfile
{
    public static int Run()
    {
        var body = RedactionBenchmarks.Body(1024 * 1024);
        Time("reader only", body, b =>
        {
            var reader = new Utf8JsonReader(b);
            var n = 0;
            while (reader.Read())
            {
                n++;
            }

            return n;
        });
        Time("reader + stats", body, b =>
        {
            var reader = new Utf8JsonReader(b);
            var n = 0;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    n += TextStats.Of(reader.ValueSpan).Digits;
                }
            }

            return n;
        });
        var detectors = BuiltInDetectors.ValueDetectors.Values.Select(f => f()).ToArray();
        Time("reader + stats + maymatch", body, b =>
        {
            var reader = new Utf8JsonReader(b);
            var n = 0;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    var stats = TextStats.Of(reader.ValueSpan);
                    foreach (var d in detectors)
                    {
                        if (d.MayMatch(stats))
                        {
                            n++;
                        }
                    }
                }
            }

            return n;
        });
        var policy = Reprise.Redaction.Policy.RedactionPolicy.CreateDefault(Reprise.Redaction.Policy.RedactionKey.FromText("benchmark-key-0123456789abcdef"));
        var exchange = new Reprise.Core.Model.Exchange
        {
            Id = "x",
            StartedAt = DateTimeOffset.UnixEpoch,
            Request = new Reprise.Core.Model.ExchangeRequest { Method = "GET", Url = "https://a.test/" },
            Response = new Reprise.Core.Model.ExchangeResponse { Status = 200, Body = Reprise.Core.Model.ExchangeBody.FromBytes(body, "application/json") },
        };
        Time("policy.Redact", body, _ => policy.Redact(exchange).Redactions.Length);
        var model = (Reprise.Redaction.Policy.RedactionModel)typeof(Reprise.Redaction.Policy.RedactionPolicy).GetField("_model", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(policy)!;
        Time("JsonBodyRedactor only", body, b =>
        {
            var session = new Reprise.Redaction.Engine.RedactionSession(model, [], null) { Side = Reprise.Redaction.Rules.RuleScope.Response };
            return Reprise.Redaction.Engine.JsonBodyRedactor.Redact(b, false, session, "response.body")?.Length ?? 0;
        });
        var clean = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(body).Replace("@gmail.com", " at gmail", StringComparison.Ordinal));
        Time("JsonBodyRedactor clean", clean, b =>
        {
            var session = new Reprise.Redaction.Engine.RedactionSession(model, [], null) { Side = Reprise.Redaction.Rules.RuleScope.Response };
            return Reprise.Redaction.Engine.JsonBodyRedactor.Redact(b, false, session, "response.body")?.Length ?? 0;
        });
        return 0;
    }

    /// <summary>
    /// `redaction-profile-small`: the 741 B orders exchange of `redaction-throughput` split into stages, in
    /// microseconds per CPU-second of each (time-based: 2 s warm-up for tiering, then 2 s measured per stage).
    /// </summary>
    public static int RunSmall()
    {
        var body = RedactionBodies.Orders(1024);
        var policy = Reprise.Redaction.Policy.RedactionPolicy.CreateDefault(Reprise.Redaction.Policy.RedactionKey.FromText("benchmark-key-0123456789abcdef"));
        var model = (Reprise.Redaction.Policy.RedactionModel)typeof(Reprise.Redaction.Policy.RedactionPolicy).GetField("_model", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(policy)!;
        var options = new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Allow, MaxDepth = 512, AllowMultipleValues = true };
        var clean = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(body).Replace("@gmail.com", " at gmail", StringComparison.Ordinal));
        Micro("reader only", () =>
        {
            var reader = new Utf8JsonReader(body, options);
            var n = 0;
            while (reader.Read())
            {
                n++;
            }

            return n;
        });
        var plain = new JsonReaderOptions { AllowTrailingCommas = true, MaxDepth = 512, AllowMultipleValues = true };
        Micro("reader only, comments disallowed", () =>
        {
            var reader = new Utf8JsonReader(body, plain);
            var n = 0;
            while (reader.Read())
            {
                n++;
            }

            return n;
        });
        Micro("reader only, default options", () =>
        {
            var reader = new Utf8JsonReader(body);
            var n = 0;
            while (reader.Read())
            {
                n++;
            }

            return n;
        });
        Micro("json redactor, clean body", () =>
        {
            var session = new Reprise.Redaction.Engine.RedactionSession(model, [], null) { Side = Reprise.Redaction.Rules.RuleScope.Response };
            return Reprise.Redaction.Engine.JsonBodyRedactor.Redact(clean, false, session, "response.body")?.Length ?? 0;
        });
        Micro("json redactor, one email", () =>
        {
            var session = new Reprise.Redaction.Engine.RedactionSession(model, [], null) { Side = Reprise.Redaction.Rules.RuleScope.Response };
            return Reprise.Redaction.Engine.JsonBodyRedactor.Redact(body, false, session, "response.body")?.Length ?? 0;
        });
        var bare = new Reprise.Core.Model.Exchange
        {
            Id = "x",
            StartedAt = DateTimeOffset.UnixEpoch,
            Request = new Reprise.Core.Model.ExchangeRequest { Method = "GET", Url = "https://a.test/" },
            Response = new Reprise.Core.Model.ExchangeResponse { Status = 200, Body = Reprise.Core.Model.ExchangeBody.FromBytes(clean, "application/json") },
        };
        Micro("policy, clean body, no headers", () => policy.Redact(bare).Redactions.Length);
        Micro("policy, email body, no headers", () => policy.Redact(bare with { Response = bare.Response with { Body = Reprise.Core.Model.ExchangeBody.FromBytes(body, "application/json") } }).Redactions.Length);
        var full = new Reprise.Core.Model.Exchange
        {
            Id = "bench",
            StartedAt = DateTimeOffset.UnixEpoch,
            Request = new Reprise.Core.Model.ExchangeRequest { Method = "GET", Url = "https://api.shop.test/api/orders?page=2", Headers = [new("Accept", "application/json"), new("Authorization", "Bearer abcdef0123456789abcdef")] },
            Response = new Reprise.Core.Model.ExchangeResponse { Status = 200, Headers = [new("Content-Type", "application/json")], Body = Reprise.Core.Model.ExchangeBody.FromBytes(body, "application/json") },
        };
        Micro("policy, benchmark exchange", () => policy.Redact(full).Redactions.Length);
        Micro("policy, no body", () => policy.Redact(full with { Response = full.Response with { Body = null } }).Redactions.Length);
        return 0;
    }

    private static void Micro(string label, Func<int> work)
    {
        // REDACTION_STAGE=text runs only the stages whose label contains it (for perf record).
        if (Environment.GetEnvironmentVariable("REDACTION_STAGE") is { } only && !label.Contains(only, StringComparison.Ordinal))
        {
            return;
        }

        var process = Process.GetCurrentProcess();
        var sum = 0;
        var wall = Stopwatch.StartNew();
        while (wall.Elapsed.TotalSeconds < 2)
        {
            sum += work();
        }

        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        wall.Restart();
        var iterations = 0;
        var measured = double.TryParse(Environment.GetEnvironmentVariable("REDACTION_STAGE_S"), System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 2;
        while (wall.Elapsed.TotalSeconds < measured)
        {
            for (var i = 0; i < 16; i++)
            {
                sum += work();
            }

            iterations += 16;
        }

        process.Refresh();
        var seconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)iterations;
        Console.WriteLine($"{label,-34} {seconds / iterations * 1e6,7:N2} µs per CPU-second, {bytes,7:N0} B allocated ({sum % 10})");
    }

    private static void Time(string label, byte[] body, Func<byte[], int> work)
    {
        for (var i = 0; i < 3; i++)
        {
            work(body);
        }

        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        const int iterations = 20;
        var sum = 0;
        for (var i = 0; i < iterations; i++)
        {
            sum += work(body);
        }

        process.Refresh();
        var seconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine($"{label,-28} {body.Length * (double)iterations / (1024 * 1024) / seconds,8:N1} MB/s per CPU-second ({sum})");
    }
}
