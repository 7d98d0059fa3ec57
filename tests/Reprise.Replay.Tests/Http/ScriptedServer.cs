using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Reprise.Replay.Tests.Http;

/// <summary>
/// A bare socket server whose answer to the Nth request (1-based, counted over all connections) is chosen by
/// the test: the raw bytes to write, or null to close the connection without answering. With
/// <c>closeAfterAnswer</c> it closes each connection right after its answer without saying so (no
/// <c>Connection: close</c>), as SOGo's sope server does.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<int, string?> _answer;
    private readonly bool _closeAfterAnswer;
    private readonly Task _loop;
    private int _requests;
    private int _connections;

    public ScriptedServer(Func<int, string?> answer, bool closeAfterAnswer = false)
    {
        _answer = answer;
        _closeAfterAnswer = closeAfterAnswer;
        _listener.Start();
        _loop = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public int Requests => Volatile.Read(ref _requests);

    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var handlers = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                handlers.Add(HandleAsync(socket));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(handlers);
    }

    private async Task HandleAsync(Socket socket)
    {
        using (socket)
        {
            var pending = new StringBuilder();
            var buffer = new byte[8192];
            try
            {
                while (true)
                {
                    var head = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (head < 0)
                    {
                        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                        if (n == 0)
                        {
                            return;
                        }

                        pending.Append(Encoding.Latin1.GetString(buffer, 0, n));
                        continue;
                    }

                    // Requests in these tests carry no body or a short Content-Length one.
                    var text = pending.ToString();
                    var length = ContentLength(text[..head]);
                    while (pending.Length < head + 4 + length)
                    {
                        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                        if (n == 0)
                        {
                            return;
                        }

                        pending.Append(Encoding.Latin1.GetString(buffer, 0, n));
                    }

                    pending.Remove(0, head + 4 + length);
                    var answer = _answer(Interlocked.Increment(ref _requests));
                    if (answer is null)
                    {
                        return; // close without answering
                    }

                    await socket.SendAsync(Encoding.Latin1.GetBytes(answer), SocketFlags.None, _stop.Token);
                    if (_closeAfterAnswer)
                    {
                        await Task.Delay(20, _stop.Token); // a moment after the answer (SOGo logs the request first)
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
            }
        }
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
