using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

// The least a .NET closed-loop HTTP/1.1 generator can do per request: one async loop per keep-alive connection,
// Socket.SendAsync of fixed bytes, ReceiveAsync until the head and its Content-Length body are in, a count.
// No bookkeeping, no timeouts, no histograms. Usage: BareClient URL CONNECTIONS SECONDS
var uri = new Uri(args[0]);
var connections = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var seconds = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var request = Encoding.ASCII.GetBytes($"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nAccept: application/json\r\n\r\n");
long count = 0;
var stop = false;

async Task LoopAsync()
{
    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, uri.Port));
    var buffer = new byte[16384];
    long local = 0;
    while (!Volatile.Read(ref stop))
    {
        await socket.SendAsync(request, SocketFlags.None);
        var have = 0;
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(have), SocketFlags.None);
            if (n == 0)
            {
                throw new IOException("the target closed the connection");
            }

            have += n;
            var span = buffer.AsSpan(0, have);
            var headEnd = span.IndexOf("\r\n\r\n"u8);
            if (headEnd < 0)
            {
                continue;
            }

            var at = span.IndexOf("Content-Length: "u8) + 16;
            var length = 0;
            while (span[at] != '\r')
            {
                length = (length * 10) + span[at++] - '0';
            }

            if (have >= headEnd + 4 + length)
            {
                break;
            }
        }

        local++;
    }

    Interlocked.Add(ref count, local);
}

var loops = new Task[connections];
for (var i = 0; i < loops.Length; i++)
{
    loops[i] = Task.Run(LoopAsync);
}

var clock = Stopwatch.StartNew();
await Task.Delay(TimeSpan.FromSeconds(seconds));
Volatile.Write(ref stop, true);
await Task.WhenAll(loops);
Console.WriteLine($"rps {count / clock.Elapsed.TotalSeconds:F1} count {count}");
