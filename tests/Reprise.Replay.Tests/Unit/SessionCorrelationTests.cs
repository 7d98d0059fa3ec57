using Reprise.Replay.Correlation;
using Xunit;

namespace Reprise.Replay.Tests.Unit;

/// <summary>What a session learns: unchanged pairs are not learned (and forget a stale mapping), same masks are ambiguous.</summary>
public sealed class SessionCorrelationTests
{
    private static readonly CookieScope Scope = new("shop.test", HostOnly: true, "/");

    [Fact]
    public void UnchangedCookie_IsNotLearned_AndForgetsAStaleMapping()
    {
        var session = new SessionCorrelation();
        session.LearnCookie("sid", Scope, "abc", "abc", "cookie sid", "login");
        session.Commit();
        Assert.True(session.IsEmpty);

        session.LearnCookie("sid", Scope, "abc", "new1", "cookie sid", "login");
        session.Commit();
        Assert.Equal("new1", session.Cookies.Latest("sid")?.New.Value);

        session.LearnCookie("sid", Scope, "abc", "abc", "cookie sid", "refresh");
        session.Commit();
        Assert.Null(session.Cookies.Latest("sid"));
        Assert.True(session.IsEmpty);
    }

    [Fact]
    public void UnchangedCredential_IsNotLearned_AndForgetsAStaleMapping()
    {
        var session = new SessionCorrelation();
        session.LearnCredential("****", "****", "token", "login", "access_token");
        session.Commit();
        Assert.True(session.IsEmpty);

        session.LearnCredential("****", "fresh", "token", "login", "access_token");
        session.Commit();
        Assert.Equal("fresh", session.Credentials["****"].Value);

        session.LearnCredential("****", "****", "token", "refresh", "access_token");
        session.Commit();
        Assert.True(session.IsEmpty);
    }

    [Fact]
    public void SameMask_TwoValues_PrefersAccessOrIdToken_ElseLearnsNeither()
    {
        var session = new SessionCorrelation();
        session.LearnCredential("****", "refresh-value", "$.refresh_token", "login", "refresh_token");
        session.LearnCredential("****", "id-value", "$.id_token", "login", "id_token");
        session.Commit();
        Assert.Equal("id-value", session.Credentials["****"].Value);

        var ambiguous = new SessionCorrelation();
        ambiguous.LearnCredential("****", "refresh-value", "$.refresh_token", "login", "refresh_token");
        ambiguous.LearnCredential("****", "csrf-value", "$.csrf_token", "login", "csrf_token");
        ambiguous.Commit();
        Assert.Empty(ambiguous.Credentials);
    }
}
