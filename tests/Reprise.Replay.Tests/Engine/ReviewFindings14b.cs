using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// Review of the replay cookie jar (RFC 6265 scope): a recording made through the reverse proxy has the upstream's host
/// in its URLs (<c>127.0.0.1:8080</c>, an internal name), while an application configured with its public domain writes
/// <c>Domain=shop.test</c> on its cookies. No recorded request domain-matches that, so every such cookie fell to the
/// "none in scope" fallback, which ignores paths: the request to <c>/shopping</c> got the value of the cookie set for
/// <c>/shop</c> (the one learned last), and a header naming two same-named cookies got them in the wrong order. A <c>Domain</c> the recorded host does not match (a browser
/// would have rejected the cookie; the client evidently saw another host) is read as the recorded host's, as the new
/// build's answers already are (that case: <see cref="CookieScopeTests.TwoCookiesOfOneName_GoLongerPathFirst_EachOnlyWhereItsPathMatches"/>).
/// </summary>
public sealed class ReviewFindings14b
{
    private static readonly string Mask = new('*', 26);

    /// <summary>Guard: a <c>Domain</c> the recorded host matches keeps its meaning (the recorded host's parent domain).</summary>
    [Fact]
    public void ADomainTheRecordedHostMatches_IsKept()
    {
        var scope = Reprise.Replay.Correlation.CookieScope.Of("sid=x; Domain=.example; Path=/", "http://recorded.example/login");
        Assert.Equal("example", scope.Domain);
        Assert.False(scope.HostOnly);
        Assert.True(scope.Matches("other.example", "/"));
    }

    /// <summary>
    /// The "none in scope" fallback gave every occurrence of a name in one <c>Cookie</c> header the same entry (the one
    /// learned last): <c>pref=M; pref=M</c> went out as the same new value twice, the other cookie lost. Each occurrence
    /// takes the next entry not used by an earlier one, as in scope.
    /// </summary>
    [Fact]
    public void TheFallback_GivesEachOccurrenceOfANameItsOwnEntry()
    {
        var jar = new Reprise.Replay.Correlation.CookieJar();
        var mask = Mask;
        jar.Learn("pref", new Reprise.Replay.Correlation.CookieScope("recorded.example", true, "/a"), mask, new Reprise.Replay.Correlation.LearnedValue("new-a", "cookie pref", "t"), 16);
        jar.Learn("pref", new Reprise.Replay.Correlation.CookieScope("recorded.example", true, "/b"), mask, new Reprise.Replay.Correlation.LearnedValue("new-b", "cookie pref", "t"), 16);

        var first = jar.Find("pref", "recorded.example", "/z", mask, used: null);
        var second = jar.Find("pref", "recorded.example", "/z", mask, used: [first!.Value.Sequence]);

        Assert.Equal("new-b", first.Value.New.Value);
        Assert.Equal("new-a", second?.New.Value);
    }
}
