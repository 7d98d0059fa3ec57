using Reprise.Redaction.Detection;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

/// <summary>
/// QA round 13c (Netdata's <c>dashboard_info.js</c>): chart help text says "a break down of key server performance
/// metrics" and "basic performance"; the word after "basic" was read as a Basic credential and masked, then in every
/// other sentence of the script that said "performance" (11 places).
/// </summary>
public sealed class AuthSchemeProseTests
{
    private static List<string> Found(string text)
    {
        var matches = new List<(int Start, int Length)>();
        new BearerTokenDetector().Find(text, matches);
        return matches.ConvertAll(m => text.Substring(m.Start, m.Length));
    }

    [Theory]
    [InlineData("This module presents basic performance metrics of the disks.")]
    [InlineData("Bonds payable to bearer instruments are listed here.")]
    [InlineData("The Basic Settings page lists everything.")]
    public void AWordAfterTheSchemesName_IsProse(string text) => Assert.Empty(Found(text));

    [Theory]
    [InlineData("curl -H 'Authorization: Basic YWRtaW46c2VjcmV0LXB3' http://x", "YWRtaW46c2VjcmV0LXB3")]
    [InlineData("use Bearer eyJhbGciOiJIUzI1NiJ9abc for the call", "eyJhbGciOiJIUzI1NiJ9abc")]
    [InlineData("token abcd1234efgh5678 expired", "abcd1234efgh5678")]
    public void ACredential_IsStillFound(string text, string credential) => Assert.Equal([credential], Found(text));
}
