using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Reprise.Core.Model;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Policy;

namespace Reprise.Benchmarks.Redaction;

/// <summary>
/// Redaction throughput on JSON response bodies (about 1 KB and 1 MB of realistic API records with a
/// little personal data): the default policy against a naive version that parses into a DOM, runs every
/// detector's regex on every string and serializes again. MB/s = body bytes / mean time.
/// </summary>
[MemoryDiagnoser]
public class RedactionBenchmarks
{
    private RedactionPolicy _policy = null!;
    private Exchange _exchange = null!;
    private IValueDetector[] _detectors = null!;

    [Params(1024, 1024 * 1024)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _policy = RedactionPolicy.CreateDefault(RedactionKey.FromText("benchmark-key-0123456789abcdef"));
        _detectors = [.. BuiltInDetectors.ValueDetectors.Values.Select(make => make())];
        var body = Body(BodyBytes);
        _exchange = new Exchange
        {
            Id = "bench",
            StartedAt = DateTimeOffset.UnixEpoch,
            Request = new ExchangeRequest { Method = "GET", Url = "https://api.shop.test/api/orders?page=2", Headers = [new("Accept", "application/json"), new("Authorization", "Bearer abcdef0123456789abcdef")] },
            Response = new ExchangeResponse { Status = 200, Headers = [new("Content-Type", "application/json"), new("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))], Body = ExchangeBody.FromBytes(body, "application/json") },
        };
    }

    [Benchmark(Baseline = true)]
    public int Naive()
    {
        var root = JsonNode.Parse(_exchange.Response!.Body!.Content.Span)!;
        var spans = new List<(int, int)>();
        var count = Walk(root, spans);
        return Encoding.UTF8.GetByteCount(root.ToJsonString()) + count;
    }

    [Benchmark]
    public int DefaultPolicy() => _policy.Redact(_exchange).Redactions.Length;

    private int Walk(JsonNode node, List<(int, int)> spans)
    {
        var count = 0;
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        var redacted = Scan(s, spans);
                        if (redacted != s)
                        {
                            obj[key] = redacted;
                            count++;
                        }
                    }
                    else if (value is not null)
                    {
                        count += Walk(value, spans);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        array[i] = Scan(s, spans);
                    }
                    else if (array[i] is { } child)
                    {
                        count += Walk(child, spans);
                    }
                }

                break;
        }

        return count;
    }

    private string Scan(string value, List<(int, int)> spans)
    {
        foreach (var detector in _detectors)
        {
            spans.Clear();
            detector.Find(value, spans);
            foreach (var (start, length) in spans)
            {
                value = string.Concat(value.AsSpan(0, start), new string('*', length), value.AsSpan(start + length));
            }
        }

        return value;
    }

    internal static byte[] Body(int bytes)
    {
        var random = new Random(1);
        var sb = new StringBuilder("{\"orders\":[");
        var i = 0;
        while (sb.Length < bytes - 400)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append("{\"id\":").Append(100000 + i)
              .Append(",\"status\":\"").Append(i % 3 == 0 ? "SHIPPED" : "PAID")
              .Append("\",\"placedAt\":\"2026-03-01T10:").Append((i % 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture)).Append(":00Z\"")
              .Append(",\"lines\":[{\"sku\":\"SKU-").Append(random.Next(10000, 99999)).Append("\",\"qty\":").Append(random.Next(1, 4)).Append(",\"unitPrice\":").Append(random.Next(100, 9999) / 100.0)
              .Append("}],\"note\":\"").Append(i % 20 == 0 ? "contact ann.lee" + i + "@gmail.com" : "leave at the door").Append('"')
              .Append(",\"currency\":\"EUR\",\"total\":").Append(random.Next(100, 99999) / 100.0).Append('}');
            i++;
        }

        sb.Append("]}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
