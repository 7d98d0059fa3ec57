using Reprise.Core.Model;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests;

/// <summary>Review of the session's IP fake and QA round 15a redaction rules (senior review 15a).</summary>
public sealed class ReviewFindings15a
{
    private static Exchange Text(string body, params HeaderField[] headers)
    {
        var exchange = Testing.Exchanges.Get("http://app.test/api/x", "{}", id: "rv15a");
        return exchange with
        {
            Request = exchange.Request with { Headers = [.. headers] },
            Response = exchange.Response! with { Body = ExchangeBody.FromText(body, "text/plain") },
        };
    }

    /// <summary>
    /// QA 15a keeps a cookie value of 4 characters or fewer (a flag, a preference no response sets), but whatever the cookie
    /// was named: a 4-digit PIN (<c>pin=4821</c>), a one-time code, a numeric user id (<c>uid=1001</c>) or a short login
    /// (<c>username=ann</c>) went to disk raw, where before they were masked. A name that a field detector selects says what
    /// the value is, however short; the QA round's flags and preferences (no such name) are still kept.
    /// </summary>
    [Theory]
    [InlineData("pin=4821", "4821")]
    [InlineData("otp=9137", "9137")]
    [InlineData("uid=1001", "1001")]
    [InlineData("username=ann", "ann")]
    public void AShortCookieValueWhoseNameSaysWhatItIs_IsRedacted(string cookie, string raw)
    {
        var exchange = Text("{}", new HeaderField("Cookie", "_chc=1; " + cookie + "; lang=de"));

        var after = Policies.Default.Redact(exchange).Request.Headers.Get("cookie")!;

        Assert.StartsWith("_chc=1; ", after, StringComparison.Ordinal);
        Assert.EndsWith("; lang=de", after, StringComparison.Ordinal);
        Assert.DoesNotContain("=" + raw + ";", after, StringComparison.Ordinal);
    }

    /// <summary>
    /// Guard (judged fine): addresses written every way the review tried (IPv4-mapped in both spellings, a zone id, a port,
    /// a CIDR, a URL, an X-Forwarded-For list) are faked, none stays raw, and a second pass changes nothing.
    /// </summary>
    [Theory]
    [InlineData("client 10.1.2.3 via ::ffff:10.4.5.6 and [fe80::1%eth0]:80 and http://10.9.8.7:8080/x", "10.1.2.3|10.4.5.6|fe80::1|10.9.8.7")]
    [InlineData("XFF 10.1.2.3, 10.4.5.6,10.7.8.9 ::ffff:a01:203 fe80::1%3", "10.1.2.3|10.4.5.6|10.7.8.9|a01:203|fe80::1")]
    [InlineData("10.1.2.0/24 10.1.2.255 172.16.0.1/12", "10.1.2.|172.16.0.1")]
    public void AddressesInEveryShape_AreFaked_Idempotently(string body, string raws)
    {
        var policy = Policies.Default;
        var once = policy.Redact(Text(body, new HeaderField("X-Forwarded-For", "10.1.2.3, 10.4.5.6")));
        var twice = policy.Redact(once);

        foreach (var raw in raws.Split('|'))
        {
            Assert.DoesNotContain(raw, Policies.ResponseText(once), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("10.", once.Request.Headers.Get("x-forwarded-for"), StringComparison.Ordinal);
        Assert.Equal(Policies.ResponseText(once), Policies.ResponseText(twice));
        Assert.Equal(once.Request.Headers.Get("x-forwarded-for"), twice.Request.Headers.Get("x-forwarded-for"));
    }

    /// <summary>Guard (judged fine): the fake of any string of address characters never throws, nor does faking a fake.</summary>
    [Fact]
    public void FakingAnyAddressLikeString_NeverThrows()
    {
        var rewriter = new ValueRewriter(Policies.Key);
        var random = new Random(7);
        const string Alphabet = "0123456789abcdefABCDEF:.%[]/ ,xX-";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 24)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = Alphabet[random.Next(Alphabet.Length)];
            }

            var fake = rewriter.Fake(new string(chars), DataKind.IpAddress);
            Assert.NotNull(rewriter.Fake(fake, DataKind.IpAddress));
        }
    }

    private static string HtmlAfter(string html) =>
        Policies.ResponseText(Policies.Default.Redact(Testing.Exchanges.Page("http://monitor.test/dashboard", html)));

    /// <summary>
    /// QA 15a's autolink rule names Python-Markdown, which writes <c>Jane Doe &lt;jane.doe@corp.com&gt;</c> with the
    /// address in numeric character references (<c>&amp;#106;&amp;#97;…</c>, against harvesters), as kramdown does mixing
    /// hex references and plain letters. No detector read the address: the address and the name in front of it went to disk
    /// as written, which any browser shows in clear. The references are written out first, then redacted as any address.
    /// </summary>
    [Theory]
    [InlineData("""<p>Maintenance Friday, contact Jane Doe <a href="&#109;&#97;&#105;&#108;&#116;&#111;&#58;&#106;&#97;&#110;&#101;&#46;&#100;&#111;&#101;&#64;&#99;&#111;&#114;&#112;&#46;&#99;&#111;&#109;">&#106;&#97;&#110;&#101;&#46;&#100;&#111;&#101;&#64;&#99;&#111;&#114;&#112;&#46;&#99;&#111;&#109;</a></p>""", "jane.doe@corp.com", "Doe")]
    [InlineData("""<p>Written by Aiko Tanaka <a href="m&#x61;&#105;l&#x74;&#111;:&#x61;&#105;k&#x6f;&#46;t&#x61;&#110;a&#x6b;&#97;@&#x65;&#120;a&#x6d;&#112;l&#x65;&#46;c&#x6f;&#109;">a&#x69;&#107;o&#x2e;&#116;a&#x6e;&#97;k&#x61;&#64;e&#x78;&#97;m&#x70;&#108;e&#x2e;&#99;o&#x6d;</a></p>""", "aiko.tanaka@example.com", "Tanaka")]
    public void AnAddressSpelledInCharacterReferences_IsRedacted_WithTheNameBeforeIt(string html, string address, string surname)
    {
        var after = HtmlAfter(html);

        Assert.DoesNotContain(address, System.Net.WebUtility.HtmlDecode(after), StringComparison.Ordinal);
        Assert.DoesNotContain(surname, after, StringComparison.Ordinal);
        Assert.Equal(after, HtmlAfter(after));
    }

    /// <summary>Guard: references that spell no address (a symbol, a handle, an entity in prose) are left as written.</summary>
    [Theory]
    [InlineData("<p>&#169; 2026 Corp &#8212; follow &#64;corp or write to us</p>")]
    [InlineData("<p>a&#38;b &#x26; c&#64;</p>")]
    public void ReferencesSpellingNoAddress_AreKept(string html) => Assert.Equal(html, HtmlAfter(html));

    /// <summary>
    /// A zero-padded dotted quad (<c>192.168.001.010</c>, as router pages, Cisco and Windows tools write addresses) was no
    /// address to the detector (its octet pattern had no leading zero, and .NET reads <c>010</c> as octal and refuses
    /// <c>008</c>): it went to disk raw. Now found and faked as the address it means, the fake of <c>192.168.1.10</c>.
    /// </summary>
    [Fact]
    public void AZeroPaddedAddress_IsFakedAsTheAddressItMeans()
    {
        var after = Policies.ResponseText(Policies.Default.Redact(Text("gateway 192.168.001.010, dns 010.000.000.008 (was 192.168.1.10)")));

        Assert.DoesNotContain("192.168.", after, StringComparison.Ordinal);
        Assert.DoesNotContain("010.000", after, StringComparison.Ordinal);
        var rewriter = new ValueRewriter(Policies.Key);
        Assert.Equal(rewriter.Fake("192.168.1.10", DataKind.IpAddress), rewriter.Fake("192.168.001.010", DataKind.IpAddress));
        Assert.Equal(rewriter.Fake("10.0.0.8", DataKind.IpAddress), rewriter.Fake("010.000.000.008", DataKind.IpAddress));
    }
}
