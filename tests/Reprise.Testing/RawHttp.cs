using System.Net.Sockets;
using System.Text;

namespace Reprise.Testing;

/// <summary>HTTP/1.1 over a bare TCP connection, for tests that need the raw head (upgrades, tunnels).</summary>
public static class RawHttp
{
    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>, sends <paramref name="requestHead"/> (ASCII, ending in an empty line) and reads the response head.</summary>
    public static async Task<(TcpClient Client, NetworkStream Stream, string Head)> SendAsync(int port, string requestHead, CancellationToken ct)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, ct);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(requestHead), ct);
            return (client, stream, await ReadHeadAsync(stream, ct));
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Reads up to and including the empty line that ends a head (at most 8 KiB; less if the peer closes).</summary>
    public static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken ct)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 8192)
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}
