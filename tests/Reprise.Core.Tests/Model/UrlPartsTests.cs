using System.Net;
using CsCheck;
using Reprise.Core.Model;
using Xunit;

namespace Reprise.Core.Tests.Model;

public sealed class UrlPartsTests
{
    [Theory]
    [InlineData("api.test", "api.test", "")]
    [InlineData("api.test:8080", "api.test", "8080")]
    [InlineData("[::1]", "::1", "")]
    [InlineData("[::1]:8080", "::1", "8080")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1", "443")]
    [InlineData("::1", "::1", "")]
    [InlineData("2001:db8::443", "2001:db8::443", "")]
    [InlineData("127.0.0.1:9", "127.0.0.1", "9")]
    [InlineData("", "", "")]
    public void SplitAuthority_HostAndPort(string authority, string host, string port)
    {
        UrlParts.SplitAuthority(authority, out var h, out var p);
        Assert.Equal(host, h.ToString());
        Assert.Equal(port, p.ToString());
    }

    [Theory]
    [InlineData("http://[::1]:8080/a", "::1")]
    [InlineData("http://[::1]/a", "::1")]
    [InlineData("https://API.Example.com:8443/x?y", "api.example.com")]
    [InlineData("https://user:pw@Example.com/", "example.com")]
    [InlineData("/relative", "")]
    public void Host_OfUrl(string url, string host) => Assert.Equal(host, UrlParts.Host(url));

    [Theory]
    [InlineData("[::1]:8080", false, "[::1]:8080")]
    [InlineData("[::1]:80", false, "[::1]")]
    [InlineData("::1", false, "[::1]")]
    [InlineData("[::1]", true, "[::1]")]
    [InlineData("[2001:DB8::1]:443", true, "[2001:db8::1]")]
    [InlineData("[2001:db8::1]:443", false, "[2001:db8::1]:443")]
    [InlineData("2001:db8::443", true, "[2001:db8::443]")]
    [InlineData("API.Example.com", true, "api.example.com")]
    [InlineData("api.example.com:443", true, "api.example.com")]
    [InlineData("api.example.com:80", true, "api.example.com:80")]
    [InlineData("Api.Example.com:8080", false, "api.example.com:8080")]
    public void CanonicalAuthority_OneFormPerHost(string authority, bool https, string expected) =>
        Assert.Equal(expected, UrlParts.CanonicalAuthority(authority, https));

    [Theory]
    [InlineData("api.test:8443", false)]
    [InlineData("127.0.0.1:8081", false)]
    [InlineData("api.test", true)]
    [InlineData("API.test:80", false)]
    [InlineData("api.test:443", true)]
    [InlineData("api.test:", false)]
    [InlineData("[::1]:8080", false)]
    [InlineData("::1", true)]
    [InlineData("\u00C4pi.test", false)]
    public void CanonicalAuthority_StringAndSpanForms_Agree_CanonicalTextIsReturnedAsIs(string authority, bool https)
    {
        var fromString = UrlParts.CanonicalAuthority(authority, https);
        Assert.Equal(UrlParts.CanonicalAuthority(authority.AsSpan(), https), fromString);
        if (fromString == authority && authority[0] != '[')
        {
            Assert.Same(authority, fromString); // already canonical: no new string (bracketed IPv6 takes the general path)
        }
    }

    [Fact]
    public void CanonicalAuthority_IpEndPointForms_AgreeAndAreIdempotent()
    {
        // Whatever way an endpoint is written (bracketed with port, default port left out, upper-case hex), one key results.
        Gen.Select(Gen.Byte.Array[16], Gen.Int[1, 65535], Gen.Bool, Gen.Bool).Sample((bytes, anyPort, https, useDefault) =>
        {
            var address = new IPAddress(bytes);
            var defaultPort = https ? 443 : 80;
            var port = useDefault ? defaultPort : anyPort;
            var withPort = new IPEndPoint(address, port).ToString();
            var canonical = UrlParts.CanonicalAuthority(withPort, https);
            Assert.Equal(canonical, UrlParts.CanonicalAuthority(canonical, https));
            Assert.Equal(canonical, UrlParts.CanonicalAuthority(withPort.ToUpperInvariant(), https));
            Assert.Equal(address.ToString(), UrlParts.HostOfAuthority(withPort));
            if (port == defaultPort)
            {
                Assert.Equal(UrlParts.CanonicalAuthority(address.ToString(), https), canonical);
                Assert.Equal(UrlParts.CanonicalAuthority("[" + address + "]", https), canonical);
            }
        });
    }
}
