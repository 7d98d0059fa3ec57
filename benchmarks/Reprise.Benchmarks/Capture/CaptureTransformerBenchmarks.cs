using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Reprise.Capture.Forwarding;

namespace Reprise.Benchmarks.Capture;

/// <summary>
/// What <c>record</c>'s transformer does to every forwarded request and response (YARP's header copy included): the
/// destination URL from the raw request target, the upstream timing stamps, the Origin/Referer and Location rewrites.
/// Run on two commits to compare: <c>dotnet run -c Release --project benchmarks/Reprise.Benchmarks -- --filter '*CaptureTransformer*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class CaptureTransformerBenchmarks
{
    private const string Destination = "http://127.0.0.1:18080";

    private readonly HttpResponseMessage _response = new(HttpStatusCode.OK);
    private DefaultHttpContext _context = null!;

    [Params("/api/items/42", "/api/search?q=caf%C3%A9&page=2")]
    public string Target { get; set; } = "/api/items/42";

    [GlobalSetup]
    public void Setup()
    {
        _context = new DefaultHttpContext();
        var request = _context.Request;
        request.Method = "GET";
        request.Scheme = "http";
        request.Host = new HostString("127.0.0.1:9000");
        var query = Target.IndexOf('?', StringComparison.Ordinal);
        request.Path = query < 0 ? Target : Uri.UnescapeDataString(Target[..query]);
        request.QueryString = query < 0 ? QueryString.Empty : new QueryString(Target[query..]);
        request.Headers.Accept = "*/*";
        request.Headers.UserAgent = "wrk";
        _context.Features.Get<IHttpRequestFeature>()!.RawTarget = Target;
        _response.Content = new ByteArrayContent([]);
        _response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        _response.Headers.Date = DateTimeOffset.UnixEpoch;
    }

    [Benchmark]
    public async ValueTask<bool> RequestAndResponse()
    {
        var transformer = new CaptureTransformer(TimeProvider.System);
        using var proxyRequest = new HttpRequestMessage();
        await transformer.TransformRequestAsync(_context, proxyRequest, Destination, CancellationToken.None).ConfigureAwait(false);
        _response.RequestMessage = proxyRequest;
        _context.Response.Headers.Clear();
        return await transformer.TransformResponseAsync(_context, _response, CancellationToken.None).ConfigureAwait(false);
    }
}
