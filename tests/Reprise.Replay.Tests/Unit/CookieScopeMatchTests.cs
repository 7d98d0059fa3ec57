using Reprise.Replay.Correlation;
using Xunit;

namespace Reprise.Replay.Tests.Unit;

/// <summary>RFC 6265's scope of a cookie (5.3: default path, Domain, host-only) and its domain- and path-match (5.1.3, 5.1.4).</summary>
public sealed class CookieScopeMatchTests
{
    [Theory]
    [InlineData("sid=1", "http://shop.test/app/login", "shop.test", true, "/app")]
    [InlineData("sid=1", "http://shop.test/login", "shop.test", true, "/")]
    [InlineData("sid=1; Path=/", "http://shop.test/app/login", "shop.test", true, "/")]
    [InlineData("sid=1; path=relative", "http://shop.test/app/x/login", "shop.test", true, "/app/x")]
    [InlineData("sid=1; Domain=.Shop.Test; Path=/a", "http://www.shop.test/a/b", "shop.test", false, "/a")]
    [InlineData("sid=1; Domain=", "http://shop.test:8080/", "shop.test", true, "/")]
    public void TheScopeOfASetCookie(string setCookie, string url, string domain, bool hostOnly, string path) =>
        Assert.Equal(new CookieScope(domain, hostOnly, path), CookieScope.Of(setCookie, url));

    [Theory]
    [InlineData("shop.test", true, "/a", "shop.test", "/a", true)]
    [InlineData("shop.test", true, "/a", "shop.test", "/a/b", true)]
    [InlineData("shop.test", true, "/a/", "shop.test", "/a/b", true)]
    [InlineData("shop.test", true, "/a", "shop.test", "/ab", false)]
    [InlineData("shop.test", true, "/a", "shop.test", "/", false)]
    [InlineData("shop.test", true, "/", "www.shop.test", "/", false)]
    [InlineData("shop.test", false, "/", "www.shop.test", "/", true)]
    [InlineData("shop.test", false, "/", "evilshop.test", "/", false)]
    [InlineData("0.0.1", false, "/", "127.0.0.1", "/", false)]
    public void AScopeMatchesARequest(string domain, bool hostOnly, string path, string host, string requestPath, bool matches) =>
        Assert.Equal(matches, new CookieScope(domain, hostOnly, path).Matches(host, requestPath));
}
