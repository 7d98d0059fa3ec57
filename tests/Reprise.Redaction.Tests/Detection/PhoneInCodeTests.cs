using Reprise.Core.Model;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

/// <summary>
/// QA round 13c (Netdata's dashboard, a React chunk with a buffer polyfill): <c>(this[e]|this[e+1]&lt;&lt;8|this[e+2]&lt;&lt;16)+16777216*this[e+3]</c>
/// was read as the phone <c>+1 677 7216</c> and masked to <c>+****7216*this</c>; Chromium threw "Unexpected token '**'"
/// and the dashboard served by the mock never rendered.
/// </summary>
public sealed class PhoneInCodeTests
{
    private static List<string> Found(string text)
    {
        var matches = new List<(int Start, int Length)>();
        new PhoneDetector().Find(text, matches);
        return matches.ConvertAll(m => text.Substring(m.Start, m.Length));
    }

    [Theory]
    [InlineData("return(this[e]|this[e+1]<<8|this[e+2]<<16)+16777216*this[e+3]")]
    [InlineData("var n=a[0]+4915112345678;")]
    [InlineData("x=+16777216*y")]
    public void ANumberInArithmetic_IsNoPhone(string code) => Assert.Empty(Found(code));

    [Theory]
    [InlineData("call me at +49 30 901820 77 today", "+49 30 901820 77")]
    [InlineData("Mobile (+4915112345678), evenings", "+4915112345678")]
    [InlineData("tel:+14155552671", "+14155552671")]
    public void APhone_IsStillFound(string text, string phone) => Assert.Equal([phone], Found(text));

    [Fact]
    public void TheServedScript_KeepsItsArithmetic()
    {
        const string script = "s.prototype.readUInt32LE=function(e,t){return(this[e]|this[e+1]<<8|this[e+2]<<16)+16777216*this[e+3]};";
        var exchange = Testing.Exchanges.Get("http://127.0.0.1:19999/static/js/2.chunk.js", "{}", id: "s1") is var e
            ? e with { Response = e.Response! with { Headers = [new("Content-Type", "application/javascript")], Body = ExchangeBody.FromText(script, "application/javascript") } }
            : e;
        Assert.Equal(script, Policies.ResponseText(Policies.Default.Redact(exchange)));
    }
}
