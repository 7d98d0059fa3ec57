using Microsoft.AspNetCore.Http;
using Reprise.Capture.Forwarding;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

public sealed class LocationPointBackTests
{
    // Forward proxy (CONNECT example.com:443, TLS intercepted): the client wrote the default port in its Host header
    // (allowed by RFC 9110 7.2). It asked for that origin itself: its Location must reach it unchanged.
    [Fact]
    public void ForwardProxy_HostWithExplicitDefaultPort_LocationUnchanged()
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("example.com:443");
        context.Response.Headers.Location = "https://example.com/next?sig=abc";

        CaptureTransformer.PointBackAtTheProxy(context, new Uri("https://example.com:443/start"));

        Assert.Equal("https://example.com/next?sig=abc", context.Response.Headers.Location.ToString());
    }
}
