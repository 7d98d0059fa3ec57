using System.Text;
using BenchmarkDotNet.Attributes;
using Reprise.Core.Model;
using Reprise.Mock.Chaos;
using Reprise.Mock.Config;
using Reprise.Mock.Matching;

namespace Reprise.Benchmarks.Mock;

/// <summary>
/// The mock's hot path: shape a live request and find its recorded exchange. <c>IndexMatch</c> is
/// the shipped precomputed-key dictionary lookup; <c>LinearScan</c> is the simple version (compare
/// the live shape against every recorded shape in order), which is what a naive matcher does.
/// </summary>
[MemoryDiagnoser]
public class MockMatcherBenchmarks
{
    private MockIndex _index = null!;
    private RequestShape[] _recorded = null!;
    private byte[] _body = null!;

    [Params(100, 2000)]
    public int Exchanges { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var list = new List<Exchange>();
        for (var i = 0; i < Exchanges; i++)
        {
            var isPost = i % 3 == 0;
            var url = isPost ? $"https://api{i % 4}.test/orders/{i}/items" : $"https://api{i % 4}.test/products/{i}?page={i % 7}&sort=price";
            list.Add(new Exchange
            {
                Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Direction = Direction.Outbound,
                StartedAt = start.AddMilliseconds(i),
                Request = new ExchangeRequest
                {
                    Method = isPost ? "POST" : "GET",
                    Url = url,
                    Headers = isPost ? [new("Content-Type", "application/json")] : [],
                    Body = isPost ? ExchangeBody.FromText($$"""{"sku":"S{{i}}","qty":{{i % 5}},"note":"n"}""", "application/json") : null,
                },
                Response = new ExchangeResponse { Status = 200, Body = ExchangeBody.FromText("{}", "application/json") },
            });
        }

        var errors = new List<string>();
        _index = MockIndex.Build(list, new MockIndexOptions(), MockRules.Build(new ChaosOptions(), null, [], TimeProvider.System, errors));
        _recorded = [.. _index.Entries.Select(e => e.Shape)];
        // The last GET and the last POST: the worst case for the scan, a hit for both.
        var target = Exchanges - 1;
        while (target % 3 == 0)
        {
            target--;
        }

        var post = Exchanges - 1;
        while (post % 3 != 0)
        {
            post--;
        }

        _body = Encoding.UTF8.GetBytes($$"""{"qty":{{post % 5}},"note":"n","sku":"S{{post}}"}""");
        _getPath = $"/products/{target}";
        _getQuery = $"sort=price&page={target % 7}";
        _host = $"api{target % 4}.test";
        _postPath = $"/orders/{post}/items";
        _postHost = $"api{post % 4}.test";
        if (IndexMatchGet() is null || IndexMatchPostJson() is null || LinearScanGet() is null || LinearScanPostJson() is null)
        {
            throw new InvalidOperationException("benchmark requests must hit a recorded exchange");
        }
    }

    private string _getPath = "";
    private string _getQuery = "";
    private string _host = "";
    private string _postPath = "";
    private string _postHost = "";

    [Benchmark(Baseline = true)]
    public object? LinearScanGet() => Scan(RequestShaper.Shape("GET", _host, _getPath, _getQuery, null, null, null, default));

    [Benchmark]
    public object? IndexMatchGet() => _index.Match(RequestShaper.Shape("GET", _host, _getPath, _getQuery, null, null, null, default)).Entry;

    [Benchmark]
    public object? LinearScanPostJson() => Scan(RequestShaper.Shape("POST", _postHost, _postPath, default, "application/json", null, null, _body));

    [Benchmark]
    public object? IndexMatchPostJson() => _index.Match(RequestShaper.Shape("POST", _postHost, _postPath, default, "application/json", null, null, _body)).Entry;

    private MockEntry? Scan(RequestShape live)
    {
        for (var i = 0; i < _recorded.Length; i++)
        {
            var r = _recorded[i];
            if (r.Method == live.Method && r.Authority == live.Authority && r.SoapAction == live.SoapAction && r.Leaves.AsSpan().SequenceEqual(live.Leaves))
            {
                return _index.Entries[i];
            }
        }

        return null;
    }
}
