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
