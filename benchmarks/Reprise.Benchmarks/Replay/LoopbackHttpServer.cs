using System.Net;
using System.Net.Sockets;

namespace Reprise.Benchmarks.Replay;

/// <summary>
/// A minimal in-process HTTP/1.1 server for client benchmarks: answers every bodiless request with one fixed
/// keep-alive response, so the measured cost is the client's (both clients face the same server work).
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private static readonly byte[] Response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Thu, 26 Nov 2026 06:00:00 GMT\r\nServer: Kestrel\r\nContent-Length: 25\r\n\r\n{\"hello\":\"world\",\"n\":42}\n"u8.ToArray();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public LoopbackHttpServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                socket.NoDelay = true;
                _ = ServeAsync(socket);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }

    private static async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[16 * 1024];
            var state = 0; // how much of "\r\n\r\n" has been seen
            try
            {
                while (true)
                {
                    var n = await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return;
                    }

                    var complete = 0;
                    for (var i = 0; i < n; i++)
                    {
                        var b = buffer[i];
                        state = (state, b) switch
                        {
                            (0 or 2, (byte)'\r') => state + 1,
                            (1 or 3, (byte)'\n') => state + 1,
                            (_, (byte)'\r') => 1,
                            _ => 0,
                        };
                        if (state == 4)
                        {
                            complete++;
                            state = 0;
                        }
                    }

                    for (var i = 0; i < complete; i++)
                    {
                        await socket.SendAsync(Response, SocketFlags.None).ConfigureAwait(false);
                    }
                }
            }
            catch (SocketException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
