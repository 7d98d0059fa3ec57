using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Reprise.Testing;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>
/// QA round 10b (Verdaccio, the npm CLI): a scoped package is one path segment, <c>/@qa%2fcustomer-notes</c>. The
/// reverse proxy forwarded it as <c>/@qa%252fcustomer-notes</c> and the forward proxy as <c>/@qa/customer-notes</c>,
/// so the registry answered 400 "invalid package" to every publish, view and install made through the recorder. The
/// upstream must get the request target the client sent.
/// </summary>
public sealed class EncodedPathTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<TestKestrel> RawTargetUpstreamAsync() => TestKestrel.StartAsync(app =>
        app.Run(c => c.Response.WriteAsync(c.Features.Get<IHttpRequestFeature>()!.RawTarget, c.RequestAborted)));

    [Theory]
    [InlineData("/@qa%2fcustomer-notes")]
    [InlineData("/@qa%2Fcustomer-notes/-/customer-notes-1.0.0.tgz")]
    [InlineData("/projects/group%2Fsub%2Fapp/issues?state=opened&q=a%2Fb")]
    [InlineData("/a%20b/c%3Fd/%25x")]
    public async Task ThePathTheClientSent_ReachesTheUpstreamUnchanged_ThroughBothProxies(string target)
    {
        await using var upstream = await RawTargetUpstreamAsync();
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address, ProxyListen = new IPEndPoint(IPAddress.Loopback, 0) });
        var upstreamOrigin = upstream.Address.GetLeftPart(UriPartial.Authority);

        var reverse = await SendAsync(recorder.Server.ReverseAddress!, target, upstream.Address.Authority);
        var forward = await SendAsync(recorder.Server.ProxyAddress!, upstreamOrigin + target, upstream.Address.Authority);

        Assert.Equal(target, reverse);
        Assert.Equal(target, forward);
        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.All(exchanges, e => Assert.EndsWith(target, e.Request.Url, StringComparison.Ordinal));
    }

    /// <summary>One GET over a raw socket (HttpClient would normalise the target), returning the response body.</summary>
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
        return response.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) ? Unchunk(body) : body;
    }

    private static string Unchunk(string body)
    {
        var result = new StringBuilder();
        var at = 0;
        while (true)
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
