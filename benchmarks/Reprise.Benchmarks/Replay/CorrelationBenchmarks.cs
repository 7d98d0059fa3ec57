using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using BenchmarkDotNet.Attributes;
using Reprise.Core.Analysis;
using Reprise.Core.Model;
using Reprise.Replay;
using Reprise.Replay.Correlation;
using Reprise.Replay.Http;
using Reprise.Replay.Results;

namespace Reprise.Benchmarks.Replay;

/// <summary>
/// The replay hot path's correlation per response: learn from a 20-item JSON list response (then apply
/// to the next request), for a recording without redactions and for one whose response lists redacted
/// locations (the check that keeps redaction output from being learned). The two should cost the same.
/// </summary>
[MemoryDiagnoser]
public class CorrelationBenchmarks
{
    private readonly Correlator _correlator = new(auto: true, [], new CorrelationStats());
    private RequestTemplate _plain = null!;
    private RequestTemplate _redacted = null!;
    private RequestTemplate _next = null!;
    private byte[] _body = null!;
    private readonly ImmutableArray<HeaderField> _headers = [new("Content-Type", "application/json")];

    [GlobalSetup]
    public void Setup()
    {
        var recorded = new StringBuilder("[");
        var now = new StringBuilder("[");
        for (var i = 0; i < 20; i++)
        {
            recorded.Append(i == 0 ? string.Empty : ",").Append($$"""{"id":{{4100 + i}},"title":"post {{i}}","userId":{{i % 3}},"orderRef":"ord-{{i}}x7"}""");
            now.Append(i == 0 ? string.Empty : ",").Append($$"""{"id":{{9100 + i}},"title":"post {{i}}","userId":{{i % 3}},"orderRef":"ord-{{i}}y8"}""");
        }

        recorded.Append(']');
        now.Append(']');
        _body = Encoding.UTF8.GetBytes(now.ToString());
        var exchange = Exchange("GET", "/posts", recorded.ToString());
        var builder = new TemplateBuilder(new ReplayOptions { Target = new Uri("http://127.0.0.1:8080/"), TimeShift = false }, new ConcurrentDictionary<EndpointKey, EndpointStats>());
        _plain = builder.Build(exchange);
        _redacted = builder.Build(exchange with { Redactions = [.. Enumerable.Range(0, 20).Select(i => new Reprise.Core.Model.Redaction($"response.body:$[{i}].userId", "account-id", "tokenize"))] });
        _next = builder.Build(Exchange("GET", "/posts/4105?ref=ord-5x7", "{}"));
    }

    [Benchmark(Baseline = true)]
    public int LearnApply_NoRedactions() => Run(_plain);

    [Benchmark]
    public int LearnApply_RedactedLocations() => Run(_redacted);

    private int Run(RequestTemplate template)
    {
        var session = new SessionCorrelation();
        _correlator.Learn(session, template, _headers, _body);
        return _correlator.Apply(session, _next, _next.ToOutgoing());
    }

    private static Exchange Exchange(string method, string path, string responseBody) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        StartedAt = DateTimeOffset.UnixEpoch,
        Direction = Direction.Inbound,
        Request = new ExchangeRequest { Method = method, Url = "http://shop.test" + path, Headers = [new("Accept", "application/json")] },
        Response = new ExchangeResponse { Status = 200, Headers = [new("Content-Type", "application/json")], Body = ExchangeBody.FromText(responseBody, "application/json") },
    };
}
