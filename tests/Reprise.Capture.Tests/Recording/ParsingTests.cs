using CsCheck;
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
}
