using Microsoft.AspNetCore.Http;
using Reprise.Capture.Forwarding;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>
/// QA round 10a (Jupyter Notebook recorded with <c>record --upstream http://127.0.0.1:7821 --listen 127.0.0.1:7921</c>):
/// the kernel's WebSocket was refused (403) because the client's <c>Origin: http://127.0.0.1:7921</c> reached a server
/// that saw <c>Host: 127.0.0.1:7821</c> and judged the request cross-origin (Tornado's check_origin; Django's CSRF
/// Referer check does the same). A same-origin request's Origin, and the origin of its Referer, are sent upstream as the
/// upstream's own origin, the reverse of the Location rewrite, as replay already does for its target; the recording keeps
/// what the client sent.
/// </summary>
public sealed class OriginToUpstreamTests
{
    private static async Task<HttpRequestMessage> Forwarded(string? origin, string? referer, string listener = "127.0.0.1:7921", string upstream = "http://127.0.0.1:7821")
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(listener);
        context.Request.Method = "GET";
        context.Request.Path = "/api/kernels/k1/channels";
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        if (referer is not null)
        {
            context.Request.Headers.Referer = referer;
        }

        var proxyRequest = new HttpRequestMessage();
        await CaptureTransformer.Plain.TransformRequestAsync(context, proxyRequest, upstream, CancellationToken.None);
        return proxyRequest;
    }

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task SameOriginRequest_OriginAndRefererName_TheUpstream()
    {
        var request = await Forwarded("http://127.0.0.1:7921", "http://127.0.0.1:7921/notebooks/notes.ipynb?kernel=1");

        Assert.Equal("http://127.0.0.1:7821", Header(request, "Origin"));
        Assert.Equal("http://127.0.0.1:7821/notebooks/notes.ipynb?kernel=1", Header(request, "Referer"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:7821/app")]
    [InlineData("http://127.0.0.1:7821/app/")]
    public async Task UpstreamWithAPath_RefererPageSitsUnderIt_OriginIsTheOriginOnly(string upstream)
    {
        // The request for /tree went to /app/tree: the page it came from is /app/tree too (rv10b's unproven suspicion).
        var request = await Forwarded("http://127.0.0.1:7921", "http://127.0.0.1:7921/tree?x=1", upstream: upstream);

        Assert.Equal("http://127.0.0.1:7821", Header(request, "Origin"));
        Assert.Equal("http://127.0.0.1:7821/app/tree?x=1", Header(request, "Referer"));
    }

    [Theory]
    [InlineData("http://other.example:7921", "http://other.example:7921/page")] // another site
    [InlineData("null", null)] // an opaque origin
    [InlineData("http://127.0.0.1:79210", "http://127.0.0.1:79210/x")] // a longer port
    public async Task CrossOriginRequest_IsSentAsTheClientWroteIt(string origin, string? referer)
    {
        var request = await Forwarded(origin, referer);

        Assert.Equal(origin, Header(request, "Origin"));
        Assert.Equal(referer, Header(request, "Referer"));
    }

    [Fact]
    public async Task ForwardProxyRequest_ForTheUpstreamItself_IsUnchanged()
    {
        var request = await Forwarded("http://127.0.0.1:7821", null, listener: "127.0.0.1:7821");

        Assert.Equal("http://127.0.0.1:7821", Header(request, "Origin"));
    }
}
