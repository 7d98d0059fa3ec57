using System.Net;
using Reprise.Proxy.Connections;
using Xunit;

namespace Reprise.Proxy.Tests.Connections;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:9000", "127.0.0.1", 9000)]
    [InlineData("localhost:0", "127.0.0.1", 0)]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80)]
    [InlineData("[::1]:9001", "::1", 9001)]
    [InlineData("9002", "127.0.0.1", 9002)]
    [InlineData("http://127.0.0.1:9003/", "127.0.0.1", 9003)]
    public void Valid(string text, string address, int port)
    {
        Assert.True(ListenAddress.TryParse(text, out var endpoint, out var error), error);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endpoint);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("127.0.0.1:99999", "no valid port")]
    [InlineData("127.0.0.1:x", "no valid port")]
    [InlineData("example.com:80", "not an IP address")]
    public void Invalid_SaysWhy(string text, string reason)
    {
        Assert.False(ListenAddress.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
