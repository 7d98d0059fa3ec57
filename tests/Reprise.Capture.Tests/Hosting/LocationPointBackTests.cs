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

    [Theory]
    [InlineData("http://api.internal:80/v2/uploads/9f?_state=x", "http://127.0.0.1:6001/v2/uploads/9f?_state=x")] // the default port written out
    [InlineData("http://api.internal/v2/uploads/9f", "http://127.0.0.1:6001/v2/uploads/9f")]
    [InlineData("http://api.internal", "http://127.0.0.1:6001")]
    [InlineData("http://api.internal:8080/x", "http://api.internal:8080/x")] // another port: another origin
    [InlineData("http://api.internal.evil.test/x", "http://api.internal.evil.test/x")] // a longer host
    [InlineData("https://api.internal/x", "https://api.internal/x")] // another scheme
    [InlineData("/relative/x", "/relative/x")]
    public void ReverseProxy_LocationNamingTheUpstream_PointsBackAtTheListener(string location, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1:6001");
        context.Response.Headers.Location = location;

        CaptureTransformer.PointBackAtTheProxy(context, new Uri("http://api.internal/v2/uploads/"));

        Assert.Equal(expected, context.Response.Headers.Location.ToString());
    }
}
