using System.Net;
using System.Net.Sockets;
using CsCheck;
using Reprise.Core.Recording;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Policy;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Actions;

/// <summary>
/// QA round 14a: a masked address (<c>**.**.**.**</c>) is no address (Zabbix refused <c>host.create</c>, rspamd read an
/// unknown sender), and the old fake had 254 values (192.0.2.1-254): two clients shared one after a few dozen. An address
/// is now faked by default, keyed, into 198.18.0.0/15 or 2001:db8::/32, one fake per address of a network.
/// </summary>
public sealed class IpAddressFakeTests
{
    private static readonly ValueRewriter Rewriter = new(Policies.Key);

    private static readonly ValueRewriter OtherKey = new(RedactionKey.FromText("another-key-0123456789abcdef"));

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("81.2.69.160")]
    [InlineData("2a03:2880:f12f:83:face:b00c:0:25de")]
    [InlineData("::ffff:10.1.2.3")]
    public void Fake_SameAddressAndKey_SameFake_AnotherKey_AnotherFake(string address)
    {
        var fake = Rewriter.Fake(address, DataKind.IpAddress);
        Assert.Equal(fake, new ValueRewriter(RedactionKey.FromText("unit-test-key-0123456789abcdef")).Fake(address, DataKind.IpAddress));
        Assert.NotEqual(fake, OtherKey.Fake(address, DataKind.IpAddress));
        Assert.NotEqual(address, fake);
    }

    [Fact]
    public void Fake_AnotherKey_MovesNearlyEveryAddress()
    {
        var random = new Random(14);
        var same = 0;
        for (var i = 0; i < 2_000; i++)
        {
            var address = V4((uint)random.NextInt64(1L << 32));
            same += Rewriter.Fake(address, DataKind.IpAddress) == OtherKey.Fake(address, DataKind.IpAddress) ? 1 : 0;
        }

        Assert.True(same <= 2, $"{same} of 2,000 addresses got the same fake under two keys");
    }

    /// <summary>Every address of a /16 (192.168.0.0/16, a cluster's pod network) and 10,000 of one /15: no two share a fake.</summary>
    [Fact]
    public void Fake_DistinctAddressesOfOneNetwork_NeverCollide()
    {
        var fakes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0u; i < 65_536; i++)
        {
            Assert.True(fakes.Add(Rewriter.Fake(V4(0xC0A80000 | i), DataKind.IpAddress)), $"192.168.{i >> 8}.{i & 0xFF} collides");
        }

        var random = new Random(1414);
        var inputs = new HashSet<uint>();
        while (inputs.Count < 10_000)
        {
            inputs.Add(0x0A140000 | (uint)random.Next(1 << 17)); // 10.20.0.0/15
        }

        fakes.Clear();
        foreach (var input in inputs)
        {
            Assert.True(fakes.Add(Rewriter.Fake(V4(input), DataKind.IpAddress)), V4(input) + " collides");
        }
    }

    /// <summary>
    /// 10,000 addresses drawn from the whole IPv4 space: any map into 131,072 values has ~380 pairs in common (birthday
    /// bound, 10,000² / 2 / 130,048); the fake must fill its range that well (the old 254-value fake gave 254).
    /// </summary>
    [Fact]
    public void Fake_ScatteredAddresses_SpreadOverTheWholeRange()
    {
        var random = new Random(2544);
        var inputs = new HashSet<uint>();
        while (inputs.Count < 10_000)
        {
            inputs.Add((uint)random.NextInt64(1L << 32));
        }

        var fakes = new HashSet<string>(inputs.Select(i => Rewriter.Fake(V4(i), DataKind.IpAddress)), StringComparer.Ordinal);
        Assert.True(fakes.Count >= 9_500, $"{fakes.Count} distinct fakes of 10,000 addresses");
    }

    [Theory]
    [InlineData("10.1.2.0")]
    [InlineData("10.1.2.255")]
    [InlineData("172.16.0.0")]
    public void Fake_NetworkAndBroadcastOctet_IsKept(string address)
    {
        var fake = Rewriter.Fake(address, DataKind.IpAddress);
        Assert.Equal(address[address.LastIndexOf('.')..], fake[fake.LastIndexOf('.')..]);
        Assert.True(InFakeRange(IPAddress.Parse(fake)), fake);
    }

    [Fact]
    public void Fake_MappedIpv4_KeepsItsFormAndTheIpv4Fake()
    {
        var v4 = Rewriter.Fake("10.1.2.3", DataKind.IpAddress);
        Assert.Equal("::ffff:" + v4, Rewriter.Fake("::ffff:10.1.2.3", DataKind.IpAddress));
        Assert.Equal("::FFFF:" + v4, Rewriter.Fake("::FFFF:10.1.2.3", DataKind.IpAddress));
        Assert.Equal("0:0:0:0:0:ffff:" + v4, Rewriter.Fake("0:0:0:0:0:ffff:10.1.2.3", DataKind.IpAddress));
        var hex = Rewriter.Fake("::ffff:a01:203", DataKind.IpAddress);
        Assert.StartsWith("::ffff:", hex, StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse(v4), IPAddress.Parse(hex).MapToIPv4());
    }

    [Fact]
    public void Fake_Ipv6_EverySpellingOneFake_CaseKept()
    {
        var fake = Rewriter.Fake("2a03:2880:f12f:83:face:b00c:0:25de", DataKind.IpAddress);
        Assert.StartsWith("2001:db8:", fake, StringComparison.Ordinal);
        Assert.Equal(fake, Rewriter.Fake("2a03:2880:f12f:0083:face:b00c:0000:25de", DataKind.IpAddress));
        Assert.Equal(fake.ToUpperInvariant(), Rewriter.Fake("2A03:2880:F12F:83:FACE:B00C:0:25DE", DataKind.IpAddress));
    }

    [Fact]
    public void Fake_ValueHoldingAnAddress_FakesTheAddressKeepsTheRest()
    {
        var fake = Rewriter.Fake("10.1.2.3", DataKind.IpAddress);
        Assert.Equal(fake + ":8080", Rewriter.Fake("10.1.2.3:8080", DataKind.IpAddress));
        Assert.Equal(fake + "/32", Rewriter.Fake("10.1.2.3/32", DataKind.IpAddress));
        Assert.Matches(@"^\[2001:db8:[0-9a-f:]+\]:443$", Rewriter.Fake("[2a03:2880::1]:443", DataKind.IpAddress));
        Assert.True(InFakeRange(IPAddress.Parse(Rewriter.Fake("not an address", DataKind.IpAddress))));
    }

    [Fact]
    public void Fake_AnyIpv4_IsAnIpv4InTheBenchmarkingRange_HostOctetKeptAHostOctet()
    {
        Gen.UInt.Sample(value =>
        {
            var input = V4(value);
            var fake = Rewriter.Fake(input, DataKind.IpAddress);
            Assert.True(IPAddress.TryParse(fake, out var address), fake);
            Assert.Equal(AddressFamily.InterNetwork, address.AddressFamily);
            Assert.Equal(fake, address.ToString());
            Assert.True(InFakeRange(address), fake);
            var last = value & 0xFF;
            var fakeLast = address.GetAddressBytes()[3];
            Assert.True(last is 0 or 255 ? fakeLast == last : fakeLast is >= 1 and <= 254, $"{input} -> {fake}");
        }, iter: 2_000);
    }

    [Fact]
    public void Fake_AnyIpv6_IsAnIpv6InTheDocumentationPrefix()
    {
        Gen.Byte.Array[16].Sample(bytes =>
        {
            var input = new IPAddress(bytes);
            var fake = Rewriter.Fake(input.ToString(), DataKind.IpAddress);
            Assert.True(IPAddress.TryParse(fake, out var address), fake);
            Assert.Equal(AddressFamily.InterNetworkV6, address.AddressFamily);
            Assert.True(InFakeRange(address), $"{input} -> {fake}");
            Assert.Equal(input.IsIPv4MappedToIPv6, address.IsIPv4MappedToIPv6);
        }, iter: 2_000);
    }

    [Fact]
    public void DefaultPolicy_FakesAddressesWhereverTheyStand_PortAndPrefixKept()
    {
        var v4 = Rewriter.Fake("10.1.2.3", DataKind.IpAddress);
        var exchange = Testing.Exchanges.Send("POST", "https://api.acme.test/hosts/10.1.2.3?client=81.2.69.160", """{"ip":"10.1.2.3","peer":"10.1.2.3:5432","net":"10.1.2.0/24","v6":"2a03:2880::1","mapped":"::ffff:10.1.2.3"}""", "{}") is var e
            ? e with { Request = e.Request with { Headers = [.. e.Request.Headers, new("X-Forwarded-For", "81.2.69.160, 10.1.2.3")] } }
            : null!;

        var redacted = Policies.Default.Redact(exchange);

        var client = Rewriter.Fake("81.2.69.160", DataKind.IpAddress);
        Assert.Equal($"https://api.acme.test/hosts/{v4}?client={client}", redacted.Request.Url);
        Assert.Equal($"{client}, {v4}", redacted.Request.Headers.Get("x-forwarded-for"));
        var net = Rewriter.Fake("10.1.2.0", DataKind.IpAddress);
        Assert.Equal($$"""{"ip":"{{v4}}","peer":"{{v4}}:5432","net":"{{net}}/24","v6":"{{Rewriter.Fake("2a03:2880::1", DataKind.IpAddress)}}","mapped":"::ffff:{{v4}}"}""", Policies.RequestText(redacted));
        Assert.Contains(redacted.Redactions, r => r.Rule == "ip-address" && r.Action == "fake");
    }

    /// <summary>
    /// An address also stands in a host name, hyphens for dots: a Kubernetes node list has <c>"hostIP": "10.0.1.23"</c> faked
    /// beside <c>"nodeName": "ip-10-0-1-23.ec2.internal"</c>, which kept the address raw. The name's address gets the fake of
    /// the dotted one, written with hyphens, and the rest of the name is kept.
    /// </summary>
    [Fact]
    public void DefaultPolicy_AddressInAHostName_GetsTheDottedOnesFake_TheNameKeepsItsShape()
    {
        var node = Rewriter.Fake("10.0.1.23", DataKind.IpAddress);
        var pod = Rewriter.Fake("10.244.1.5", DataKind.IpAddress);
        var ec2 = Rewriter.Fake("172.31.5.10", DataKind.IpAddress);
        var json = """{"nodeName":"ip-10-0-1-23.ec2.internal","hostIP":"10.0.1.23","podDns":"10-244-1-5.default.pod.cluster.local","hostname":"ip-172-31-5-10","log":"dialing ip-172-31-5-10.us-west-2.compute.internal:5432","event":"scheduled on ip-10-0-1-23 after retry","publicDns":"ec2-54-12-34-56.compute-1.amazonaws.com"}""";

        var text = Policies.RequestText(Policies.Default.Redact(Policies.Json(json)));

        Assert.Equal($$"""{"nodeName":"ip-{{Hyphens(node)}}.ec2.internal","hostIP":"{{node}}","podDns":"{{Hyphens(pod)}}.default.pod.cluster.local","hostname":"ip-{{Hyphens(ec2)}}","log":"dialing ip-{{Hyphens(ec2)}}.us-west-2.compute.internal:5432","event":"scheduled on ip-{{Hyphens(node)}} after retry","publicDns":"ec2-{{Hyphens(Rewriter.Fake("54.12.34.56", DataKind.IpAddress))}}.compute-1.amazonaws.com"}""", text);
        Assert.Equal(text, Policies.RequestText(Policies.Default.Redact(Policies.Json(text)))); // a second pass leaves the fakes

        static string Hyphens(string address) => address.Replace('.', '-');
    }

    /// <summary>Review: a rule of kind <c>ip-address</c> on a host name fakes the address in it (the fake of the hyphenated quad was dropped and the name kept raw).</summary>
    [Fact]
    public void RuleOfKindIpAddress_OnAHostName_FakesItsAddress()
    {
        var policy = Policies.FromYaml("""
            name: nodes
            rules:
              - json: $.spec.nodeName
                action: fake
                kind: ip-address
            """);

        var text = Policies.RequestText(policy.Redact(Policies.Json("""{"spec":{"nodeName":"ip-10-0-1-23.ec2.internal"}}""")));

        Assert.Equal($$$"""{"spec":{"nodeName":"ip-{{{Rewriter.Fake("10.0.1.23", DataKind.IpAddress).Replace('.', '-')}}}.ec2.internal"}}""", text);
    }

    /// <summary>Four hyphenated numbers that are no host name's address: a bare quad, a date, a version, a UUID, a longer number, loopback.</summary>
    [Theory]
    [InlineData("1-2-3-4")]
    [InlineData("2024-01-15-10")]
    [InlineData("release-1-2-3-4.tar.gz")]
    [InlineData("v1-2-3-4.example")]
    [InlineData("550e8400-e29b-41d4-a716-446655440000")]
    [InlineData("ip-10-0-1-2345")]
    [InlineData("ip-127-0-0-1.ec2.internal")]
    [InlineData("sku 10-20-30-40 in stock")]
    [InlineData("/static/1-2-3-4.min.js")]
    [InlineData("backup 25-11-27-1.backup.tar done")]
    public void Detector_HyphenatedNumbersThatAreNoHostAddress_AreNotFound(string text)
    {
        var spans = new List<(int, int)>();
        new IpAddressDetector().Find(text, spans);
        Assert.Empty(spans);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("0.0.0.0")]
    [InlineData("::ffff:127.0.0.1")]
    public void DefaultPolicy_LoopbackAndUnspecified_AreKept(string address)
    {
        var json = $$"""{"bind":"{{address}}"}""";
        Assert.Equal(json, Policies.RequestText(Policies.Default.Redact(Policies.Json(json))));
    }

    /// <summary>
    /// Test data's documentation addresses are redacted like any (203.0.113.5 is faked); what is left is only the ranges fakes
    /// are written in, where no host is: a benchmarking address and a 2001:db8:: one stay as they are.
    /// </summary>
    [Fact]
    public void DefaultPolicy_DocumentationIpv4_IsFaked_TheFakeRangesAreLeft()
    {
        var text = Policies.RequestText(Policies.Default.Redact(Policies.Json("""{"a":"203.0.113.5","b":"198.19.0.7","c":"2001:db8::1","d":"::ffff:198.18.1.1"}""")));
        Assert.Equal($$"""{"a":"{{Rewriter.Fake("203.0.113.5", DataKind.IpAddress)}}","b":"198.19.0.7","c":"2001:db8::1","d":"::ffff:198.18.1.1"}""", text);
        Assert.StartsWith("""{"a":"198.1""", text, StringComparison.Ordinal);
    }

    /// <summary>A second pass leaves a fake as it is (the fake ranges are skipped where addresses are faked), in every form.</summary>
    [Fact]
    public void DefaultPolicy_RedactTwice_SameAsOnce()
    {
        Gen.Select(Gen.UInt, Gen.Byte.Array[16]).Sample((v4, v6) =>
        {
            var a = V4(v4);
            var b = new IPAddress(v6).ToString();
            var text = $"client {a} via [{b}]:443 mapped ::ffff:{a} peer {a}:8080";
            var exchange = Policies.Json($$"""{"ip":"{{a}}","v6":"{{b}}","log":"{{text}}"}""", $$"""{"seen":"{{a}}"}""");
            var policy = Policies.Default;
            var once = policy.Redact(exchange);
            var twice = policy.Redact(once);
            Assert.Equal(ExchangeJson.Serialize(once), ExchangeJson.Serialize(twice));
            var again = Policies.Default.Redact(once);
            Assert.Equal(ExchangeJson.Serialize(once), ExchangeJson.Serialize(again));
            Assert.DoesNotContain("*", Policies.RequestText(once), StringComparison.Ordinal);
        }, iter: 300);
    }

    [Fact]
    public void MaskAction_StillAvailable_FormatPreserving()
    {
        var policy = Policies.FromYaml("""
            name: masking
            detectors:
              ip-address: mask
            """);
        var redacted = policy.Redact(Policies.Json("""{"ip":"81.2.69.160","fake":"198.18.4.7"}"""));
        Assert.Equal("""{"ip":"**.*.**.***","fake":"***.**.*.*"}""", Policies.RequestText(redacted));
    }

    [Fact]
    public void Scan_ShowsTheAddressMasked_ActionFake()
    {
        var finding = Assert.Single(Policies.Default.Scan(Policies.Json("""{"ip":"81.2.69.160"}""")));
        Assert.Equal("ip-address", finding.Detector);
        Assert.Equal("fake", finding.Action);
        Assert.DoesNotContain("81.2.69.160", finding.Preview, StringComparison.Ordinal);
        Assert.DoesNotContain("69", finding.Preview, StringComparison.Ordinal);
    }

    private static string V4(uint value) => $"{value >> 24}.{(value >> 16) & 0xFF}.{(value >> 8) & 0xFF}.{value & 0xFF}";

    private static bool InFakeRange(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (address.IsIPv4MappedToIPv6)
        {
            bytes = address.MapToIPv4().GetAddressBytes();
        }

        return bytes.Length == 4
            ? bytes[0] == 198 && bytes[1] is 18 or 19
            : bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8;
    }
}
