using System.Collections.Concurrent;
using System.Net;
using BenchmarkDotNet.Attributes;
using Reprise.Core.Analysis;
using Reprise.Core.Model;
using Reprise.Replay;
using Reprise.Replay.Http;
using Reprise.Replay.Results;

namespace Reprise.Benchmarks.Replay;

/// <summary>
/// One replayed GET (response not kept, as in a load run without --out) over a keep-alive loopback connection:
/// the raw HTTP/1.1 transport against the SocketsHttpHandler transport it replaces for plain-http targets.
/// Both talk to the same in-process server, so the difference is client cost per request.
/// </summary>
[MemoryDiagnoser]
public class ReplayTransportBenchmarks
{
    private LoopbackHttpServer _server = null!;
    private HttpMessageInvoker _invoker = null!;
    private HttpClientTransport _httpClient = null!;
    private RawHttpTransport _raw = null!;
    private RequestTemplate _template = null!;

    [Params(false, true)]
    public bool Keep { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _server = new LoopbackHttpServer();
        var options = new ReplayOptions { Target = _server.Address, Pacing = Reprise.Replay.Pacing.PacingMode.Vus, Vus = 1, TimeShift = false };
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.All });
        _httpClient = new HttpClientTransport(_invoker, options);
        _raw = new RawHttpTransport(options, _httpClient);
        var recorded = new Exchange
        {
            Id = "b1",
            StartedAt = DateTimeOffset.UnixEpoch,
            Request = new ExchangeRequest { Method = "GET", Url = "http://bench.test/hello", Headers = [new("accept", "application/json")] },
        };
        _template = new TemplateBuilder(options, new ConcurrentDictionary<EndpointKey, EndpointStats>()).Build(recorded);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _invoker.Dispose();
        _server.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<int> SocketsHttpHandler() => SendAsync(_httpClient);

    [Benchmark]
    public Task<int> RawHttp1() => SendAsync(_raw);

    private async Task<int> SendAsync(IReplayTransport transport)
    {
        var outcome = new SendOutcome();
        await transport.SendAsync(_template, null, null, Keep, outcome, null, CancellationToken.None).ConfigureAwait(false);
        outcome.Release();
        return outcome.Error is null ? outcome.Status : throw new InvalidOperationException(outcome.Error.Message);
    }
}
