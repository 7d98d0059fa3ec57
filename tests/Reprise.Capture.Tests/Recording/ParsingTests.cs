using System.Net;
using CsCheck;
using Reprise.Capture.Hosting;
using Reprise.Capture.Recording;
using Xunit;

namespace Reprise.Capture.Tests.Recording;

public sealed class ParsingTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("1048576", 1048576)]
    [InlineData("1MB", 1048576)]
    [InlineData("64KB", 65536)]
    [InlineData("64k", 65536)]
    [InlineData("1.5MB", 1572864)]
    [InlineData("2GiB", 2147483648)]
    [InlineData(" 10 B ", 10)]
    public void ByteSize_Valid(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MB")]
    [InlineData("-1")]
    [InlineData("1TB")]
    [InlineData("1..5MB")]
    [InlineData("ten")]
    public void ByteSize_Invalid(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Fact]
    public void ByteSize_KilobytesRoundTrip() =>
        Gen.Long[0, 1L << 40].Sample(n => ByteSize.TryParse(n + "KB", out var bytes) && bytes == n * 1024);

    [Theory]
    [InlineData("127.0.0.1:9000", "127.0.0.1", 9000)]
    [InlineData("localhost:0", "127.0.0.1", 0)]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80)]
    [InlineData("[::1]:9001", "::1", 9001)]
    [InlineData("9002", "127.0.0.1", 9002)]
    [InlineData("http://127.0.0.1:9003/", "127.0.0.1", 9003)]
    public void ListenAddress_Valid(string text, string address, int port)
    {
        Assert.True(ListenAddress.TryParse(text, out var endpoint, out var error), error);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endpoint);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("127.0.0.1:99999", "no valid port")]
    [InlineData("127.0.0.1:x", "no valid port")]
    [InlineData("example.com:80", "not an IP address")]
    public void ListenAddress_Invalid_SaysWhy(string text, string reason)
    {
        Assert.False(ListenAddress.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
