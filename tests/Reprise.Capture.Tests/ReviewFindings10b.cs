using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Reprise.Capture.Forwarding;
using Reprise.Capture.Tests.Hosting;
using Reprise.Testing;
using Xunit;

namespace Reprise.Capture.Tests;

/// <summary>
/// Review of QA round 10 (77701a0..327b9ee): since 7e9d2f8 the upstream gets the request target as the client sent it,
/// dot segments included. Joined to an upstream with a path, <c>/../secret</c> (or <c>/%2e%2e/secret</c>) climbed out of
/// it: <c>--upstream http://host/app</c> forwarded it to <c>/secret</c> (or <c>/app/%2e%2e/secret</c>, which the upstream
/// resolves to <c>/secret</c>), where the server's own reading, and the forwarding before 7e9d2f8, is <c>/app/secret</c>.
/// </summary>
public sealed class ReviewFindings10b
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/../secret")]
    [InlineData("/%2e%2e/secret")]
    [InlineData("/a/.%2E/%2E./secret")]
    public async Task DotSegments_StayUnderTheUpstreamPath(string target)
    {
        await using var upstream = await TestKestrel.StartAsync(app =>
            app.Run(c => c.Response.WriteAsync(c.Features.Get<IHttpRequestFeature>()!.RawTarget, c.RequestAborted)));
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = new Uri(upstream.Address, "/app") });

        var received = await SendAsync(recorder.Server.ReverseAddress!, target, upstream.Address.Authority);

        Assert.Equal("/app/secret", received);
    }

    /// <summary>
    /// A backslash inside a path segment is a character of that segment (Kestrel reads <c>/files/a\b</c> as one segment
    /// <c>a\b</c>), but <see cref="Uri"/> takes it for a '/' in an http URL: since 7e9d2f8 the upstream got <c>/files/a/b</c>,
    /// another resource (before, <c>/files/a%5Cb</c>).
    /// </summary>
    [Theory]
    [InlineData("/files/a\\b", "/files/a\\b")]
    [InlineData("/files/a\\b?q=c\\d", "/files/a\\b")]
    public async Task ABackslashInAPathSegment_StaysInThatSegment(string target, string path)
    {
        await using var upstream = await TestKestrel.StartAsync(app =>
            app.Run(c => c.Response.WriteAsync(c.Request.Path.Value!, c.RequestAborted)));
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address, ProxyListen = new IPEndPoint(IPAddress.Loopback, 0) });

        var reverse = await SendAsync(recorder.Server.ReverseAddress!, target, upstream.Address.Authority);
        var forward = await SendAsync(recorder.Server.ProxyAddress!, upstream.Address.GetLeftPart(UriPartial.Authority) + target, upstream.Address.Authority);

        Assert.Equal(path, reverse);
        Assert.Equal(path, forward);
        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.All(exchanges, e => Assert.Equal(path, new Uri(e.Request.Url).AbsolutePath.Replace("%5C", "\\", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("/@scope%2fname", false)]
    [InlineData("/a/..b/c.d/...", false)]
    [InlineData("/a?x=/../y", false)]
    [InlineData("/a/../b", true)]
    [InlineData("/a/./b", true)]
    [InlineData("/a/%2E%2e", true)]
    [InlineData("/.%2e/b", true)]
    public void DotSegment_IsFoundInThePathOnly(string target, bool expected) =>
        Assert.Equal(expected, CaptureTransformer.HasDotSegment(target));

    /// <summary>One GET over a raw socket (HttpClient would resolve the dot segments), returning the response body.</summary>
    private static async Task<string> SendAsync(Uri listener, string requestTarget, string host)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(listener.Host, listener.Port, Ct);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {requestTarget} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"), Ct);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var response = await reader.ReadToEndAsync(Ct);
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        if (!response.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        var result = new StringBuilder();
        for (var at = 0; ;)
        {
            var end = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[at..end], 16);
            if (size == 0)
            {
                return result.ToString();
            }

            result.Append(body, end + 2, size);
            at = end + 2 + size + 2;
        }
    }
}
