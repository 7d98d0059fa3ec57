using Reprise.Core.Analysis;
using Xunit;

namespace Reprise.Core.Tests.Analysis;

/// <summary>Review 13 of RoutingQuery: defects proven here, fixed in src.</summary>
public sealed class ReviewFindings13
{
    [Theory]
    // CAS / SSO logins carry the page to return to: every page of the application would be its own login endpoint.
    [InlineData("https://sso.test/cas/login?service=https%3A%2F%2Fapp.test%2Forders%2F42")]
    [InlineData("https://sso.test/cas/login?service=http://app.test/reports/weekly")]
    [InlineData("https://app.test/index.php?page=%2F%2Fcdn.test%2Fassets%2Fmain.js")]
    public void AUrlAsAParameterValue_NamesNoRoute(string url) => Assert.Null(RoutingQuery.Of(url));

    [Fact]
    public void AUrlValue_DoesNotHideTheOtherRoutingParameters() =>
        Assert.Equal("action=login", RoutingQuery.Of("https://app.test/?service=https%3A%2F%2Fapp.test%2Fhome&action=login"));
}
