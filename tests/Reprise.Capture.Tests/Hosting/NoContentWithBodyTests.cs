using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>
/// QA round 14a (rspamd's controller): <c>POST /learnspam</c> answers <c>204</c> with <c>Content-Encoding: gzip</c>,
/// <c>Content-Length: 83</c> and a body, which RFC 9110 says a 204 cannot have. The client's HTTP stack reads no body
/// after a 204, but the recorder copied the <c>Content-Length</c> to its own response and then wrote nothing, so Kestrel
/// failed the request ("Response Content-Length mismatch: too few bytes written (0 of 83)") and the client got a 500 where
/// the application had answered 204. A 204 or 304 is forwarded without body and without a length claiming one, as a
/// mature proxy does (nginx, YARP's own docs for such upstreams); the recording keeps the status.
/// </summary>
public sealed class NoContentWithBodyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("204 No Content")]
    [InlineData("304 Not Modified")]
    public async Task AnUpstreamsBodyOnANoContentAnswer_IsDropped_AndTheClientGetsTheStatus(string status)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var client = await listener.AcceptTcpClientAsync(Ct);
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var read = 0;
                while (!Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(read), Ct);
                    if (n == 0)
                    {
                        return;
                    }

                    read += n;
                }

                var answer = "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: 16\r\nConnection: close\r\n\r\n{\"success\":true}";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), Ct);
                await stream.FlushAsync(Ct);
            }
        }, Ct);
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = new Uri("http://127.0.0.1:" + port) });

        using var first = await recorder.Client.PostAsync(recorder.Url("/learnspam"), new StringContent("Subject: x\r\n\r\nhi"), Ct);
        using var second = await recorder.Client.PostAsync(recorder.Url("/learnspam"), new StringContent("Subject: y\r\n\r\nhi"), Ct);

        var code = int.Parse(status[..3], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(code, (int)first.StatusCode);
        Assert.Equal(code, (int)second.StatusCode);
        Assert.Empty(await first.Content.ReadAsByteArrayAsync(Ct));
        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal(2, exchanges.Count);
        Assert.All(exchanges, e => Assert.Equal(code, e.Response!.Status));
        Assert.All(exchanges, e => Assert.Null(e.Error));
        await serving;
    }
}
