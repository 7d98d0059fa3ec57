using System.Net;
using System.Net.Sockets;

namespace Reprise.Testing;

/// <summary>
/// A loopback TCP port that refuses connections for as long as this object lives: a socket is bound to it
/// but never listens, so every connect is answered with a RST (ECONNREFUSED), and no other socket (a
/// parallel test's server, another process) can bind the port meanwhile. A port freed with
/// <c>TcpListener.Stop()</c> and "expected to stay free" is a race on a busy machine.
/// </summary>
public sealed class ClosedPort : IDisposable
{
    private readonly Socket _v4;
    private readonly Socket? _v6;

    private ClosedPort(Socket v4, Socket? v6, int port)
    {
        _v4 = v4;
        _v6 = v6;
        Port = port;
    }

    /// <summary>The reserved port number.</summary>
    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri HttpUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>
    /// Reserves a port on 127.0.0.1 and, where the machine has IPv6 loopback, the same port on ::1 (so a
    /// client that resolves <c>localhost</c> to either address is refused).
    /// </summary>
    public static ClosedPort Reserve()
    {
        for (var attempt = 0; ; attempt++)
        {
            var v4 = Bind(IPAddress.Loopback, 0);
            var port = ((IPEndPoint)v4.LocalEndPoint!).Port;
            if (!Socket.OSSupportsIPv6)
            {
                return new ClosedPort(v4, null, port);
            }

            try
            {
                return new ClosedPort(v4, Bind(IPAddress.IPv6Loopback, port), port);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 20)
            {
                v4.Dispose(); // ::1 has this port in use: try another
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported)
            {
                return new ClosedPort(v4, null, port); // no IPv6 loopback: nothing can answer there
            }
            catch
            {
                v4.Dispose();
                throw;
            }
        }
    }

    public void Dispose()
    {
        _v6?.Dispose();
        _v4.Dispose();
    }

    private static Socket Bind(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            // Without SO_REUSEADDR/SO_REUSEPORT on this socket, Linux refuses every other bind of the port,
            // whatever options that other socket sets.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
            socket.Bind(new IPEndPoint(address, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
