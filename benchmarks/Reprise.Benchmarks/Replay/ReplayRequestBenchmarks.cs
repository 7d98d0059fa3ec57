using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Reprise.Core.Analysis;
using Reprise.Core.Model;
using Reprise.Replay;
using Reprise.Replay.Http;
using Reprise.Replay.Results;

namespace Reprise.Benchmarks.Replay;

/// <summary>
/// The replay hot path's request construction: a pre-built <c>RequestTemplate</c> (URL rewritten,
/// headers filtered and method/URI parsed once) against the simple version that rewrites and filters
/// the recorded request on every send.
/// </summary>
[MemoryDiagnoser]
public class ReplayRequestBenchmarks
{
    private static readonly string[] Dropped = ["host", "connection", "keep-alive", "transfer-encoding", "content-length", "te", "upgrade", "proxy-connection"];
    private Exchange _recorded = null!;
    private RequestTemplate _template = null!;
    private readonly Uri _target = new("http://127.0.0.1:8080/");

    [GlobalSetup]
    public void Setup()
    {
        _recorded = Recording.SampleExchanges.Create(1, 256) with { Direction = Direction.Inbound };
        _recorded = _recorded with
        {
            Request = _recorded.Request with
            {
                Headers = [new(":authority", "shop.test"), new("Host", "shop.test"), new("Accept", "application/json"), new("User-Agent", "bench/1.0"), new("Connection", "keep-alive"), new("Content-Type", "application/json"), new("X-Request-Id", "abc")],
            },
        };
        var options = new ReplayOptions { Target = _target, TimeShift = false };
        _template = new TemplateBuilder(options, new ConcurrentDictionary<EndpointKey, EndpointStats>()).Build(_recorded);
    }

    [Benchmark(Baseline = true)]
    public HttpRequestMessage Simple()
    {
        var request = _recorded.Request;
        var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target, UrlParts.PathAndQuery(request.Url)));
        var content = request.Body is null ? null : new ByteArrayContent(request.Body.Content.ToArray());
        foreach (var header in request.Headers.Where(h => !h.Name.StartsWith(':') && !Dropped.Contains(h.Name.ToLowerInvariant())))
        {
            if (header.Name.StartsWith("content-", StringComparison.OrdinalIgnoreCase))
            {
                content?.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }

        message.Content = content;
        return message;
    }

    [Benchmark]
    public HttpRequestMessage Template() => _template.CreateMessage(null);
}
