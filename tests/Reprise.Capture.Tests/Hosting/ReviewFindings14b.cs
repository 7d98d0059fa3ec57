using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>
/// Review of QA round 14a's no-content rule: RFC 9110 15.3.6 says a 205 Reset Content has no content either, and Kestrel
/// refuses a body on it as on a 204. An upstream that writes one after a 205 must not turn the client's answer into an error.
/// </summary>
public sealed class ReviewFindings14b
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUpstreamsBodyOnA205ResetContent_IsDropped_AndTheClientGetsTheStatus()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
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

            var answer = "HTTP/1.1 205 Reset Content\r\nContent-Type: application/json\r\nContent-Length: 16\r\nConnection: close\r\n\r\n{\"success\":true}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), Ct);
            await stream.FlushAsync(Ct);
        }, Ct);
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = new Uri("http://127.0.0.1:" + port) });

        using var response = await recorder.Client.PostAsync(recorder.Url("/form"), new StringContent("a=1"), Ct);

        Assert.Equal(205, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
        var (_, exchanges) = await recorder.StopAndReadAsync();
        var exchange = Assert.Single(exchanges);
        Assert.Equal(205, exchange.Response!.Status);
        Assert.Null(exchange.Error);
        await serving;
    }
}
