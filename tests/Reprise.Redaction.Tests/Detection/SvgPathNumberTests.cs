using Reprise.Redaction.Detection;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

/// <summary>
/// QA round 13c (Netdata's dashboard bundle): SVG path data writes numbers back to back, so <c>2.05-1.1.55.55</c> and
/// <c>-.4 1 0 1.4.4.4 1 .4</c> hold dotted quads; they were masked as IPv4 addresses (70 runs) and 38 icons of the
/// dashboard served by the mock failed to draw ("attribute d: Expected number").
/// </summary>
public sealed class SvgPathNumberTests
{
    private static List<string> Found(string text)
    {
        var matches = new List<(int Start, int Length)>();
        new IpAddressDetector().Find(text, matches);
        return matches.ConvertAll(m => text.Substring(m.Start, m.Length));
    }

    [Theory]
    [InlineData("<path d=\"M10.3 2.8c-.4.4-.4 1 0 1.4.4.4 1 .4 1.4 0l.5-.5\"/>")]
    [InlineData("d:\"M12.5 8a6.764 6.764 0 002.05-1.1.55.55 0 00.26-.77\"")]
    [InlineData("3.05 1.44.7.22 1.36.51 1.99.87.31")]
    public void ADottedQuadInPathData_IsNoAddress(string text) => Assert.Empty(Found(text));

    [Theory]
    [InlineData("ping 0.5 ms from 10.20.30.40, loss 1.2 percent", "10.20.30.40")]
    [InlineData("range 10.0.0.1-10.0.0.9 reserved", "10.0.0.1")]
    [InlineData("client=81.2.69.160 latency=0.25 jitter=0.01 up=1.5", "81.2.69.160")]
    public void AnAddressInText_IsStillFound(string text, string address) => Assert.Contains(address, Found(text));
}
