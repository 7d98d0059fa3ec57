using CsCheck;
using Reprise.Proxy.Forwarding;
using Xunit;

namespace Reprise.Proxy.Tests.Forwarding;

public sealed class ProxyTargetTests
{
    [Theory]
    [InlineData("api.example.test:443", "api.example.test", 443)]
    [InlineData("127.0.0.1:8443", "127.0.0.1", 8443)]
    [InlineData("[::1]:9000", "::1", 9000)]
    public void TryParseAuthority_Valid_Parses(string authority, string host, int port)
    {
        Assert.True(ProxyTarget.TryParseAuthority(authority, "https", out var target));
        Assert.Equal(new ProxyTarget("https", host, port), target);
    }

    [Theory]
    [InlineData("api.example.test")]
    [InlineData("api.example.test:")]
    [InlineData(":443")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:-1")]
    [InlineData("::1:443")]
    [InlineData("[::1:443")]
    [InlineData("ho st:443")]
    [InlineData("host/evil:443")]
    public void TryParseAuthority_Invalid_Rejects(string authority) =>
        Assert.False(ProxyTarget.TryParseAuthority(authority, "https", out _));

    [Fact]
    public void Authority_RoundTripsThroughParse() =>
        Gen.Select(Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-."], 1, 30], Gen.Int[1, 65535])
            .Sample((host, port) =>
            {
                var target = new ProxyTarget("https", host, port);
                var authority = target.IsDefaultPort ? target.Authority + ":443" : target.Authority;
                return ProxyTarget.TryParseAuthority(authority, "https", out var parsed) && parsed == target;
            });

    [Fact]
    public void Url_DefaultPortLeftOut() =>
        Assert.Equal("https://[::1]:8443/a?b=1", new ProxyTarget("https", "::1", 8443).Url("/a?b=1"));

    [Theory]
    [InlineData("api.example.test", true)]
    [InlineData("API.EXAMPLE.TEST", true)]
    [InlineData("x.pinned.test", true)]
    [InlineData("pinned.test", false)]
    [InlineData("other.test", false)]
    public void IsNoIntercept_ExactAndWildcard(string host, bool expected)
    {
        var options = new ForwardProxyOptions { NoInterceptHosts = ["api.example.test", "*.pinned.test"] };
        Assert.Equal(expected, options.IsNoIntercept(host));
    }
}
