using Reprise.Core.Model;
using Reprise.Replay.Correlation;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>Review 13 of the deleted-cookie rule (Correlator.CookieDeleted): browsers parse a cookie date leniently (RFC 6265 5.1.1).</summary>
public sealed class ReviewFindings13
{
    [Theory]
    [InlineData("sid=; Expires=Fri, 01 Jan 1970 00:00:00 GMT; Path=/", true)] // a wrong weekday is ignored by browsers
    [InlineData("sid=; expires=Thursday, 01-Jan-70 00:00:01 GMT", true)] // RFC 850
    [InlineData("sid=; expires=Thu Jan  1 00:00:00 1970", true)] // asctime
    [InlineData("sid=x; Max-Age=0; Max-Age=3600", false)] // the last Max-Age wins (RFC 6265 5.3 step 3: the last attribute of a name)
    [InlineData("sid=x; Max-Age=3600; Max-Age=0", true)]
    public void CookieDates_AreReadAsABrowserReadsThem(string setCookie, bool deleted) =>
        Assert.Equal(deleted, SetCookieAttributes.Read(setCookie).Deletes([new HeaderField("Date", "Fri, 27 Nov 2026 12:00:00 GMT")]));
}
