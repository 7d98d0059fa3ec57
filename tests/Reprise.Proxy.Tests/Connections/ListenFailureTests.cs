using System.Net;
using System.Net.Sockets;
using Reprise.Proxy.Connections;
using Xunit;

namespace Reprise.Proxy.Tests.Connections;

public sealed class ListenFailureTests
{
    private static readonly IOException KestrelFailure = new("Failed to bind to address http://127.0.0.1:1: address already in use.", new SocketException((int)SocketError.AddressAlreadyInUse));

    [Fact]
    public void Describe_PortInUse_NamesTheSecondFlag()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var busy = (IPEndPoint)taken.LocalEndpoint;
        var text = ListenFailure.Describe([new("--listen", new IPEndPoint(IPAddress.Loopback, 0)), new("--proxy-listen", busy)], KestrelFailure);
        Assert.Equal($"--proxy-listen {busy}: cannot listen: Address already in use", text);
    }

    [Fact]
    public void Describe_AddressNotOnThisHost_NamesItWithTheReason()
    {
        // TEST-NET-1 (RFC 5737) is never a local address.
        var text = ListenFailure.Describe([new("--listen", new IPEndPoint(IPAddress.Parse("192.0.2.1"), 0))], new SocketException((int)SocketError.AddressNotAvailable));
        Assert.StartsWith("--listen 192.0.2.1:0: cannot listen: ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.1:0: cannot listen: Failed", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_EverythingBindsAlone_FallsBackToThePortKestrelNamed()
    {
        var free = new IPEndPoint(IPAddress.Loopback, FreePort());
        var failure = new IOException($"Failed to bind to address http://{free}: address already in use.\nmore", new SocketException((int)SocketError.AddressAlreadyInUse));
        var text = ListenFailure.Describe([new("--listen", new IPEndPoint(IPAddress.Loopback, 0)), new("--h2c-listen", free)], failure);
        Assert.Equal($"--h2c-listen {free}: cannot listen: {new SocketException((int)SocketError.AddressAlreadyInUse).Message}", text);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
