using Reprise.Core.Model;
using Reprise.Mock.Config;
using Reprise.Mock.Matching;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Matching;

/// <summary>
/// Hosts as recordings and rules files write them: IPv6 literals with and without brackets and
/// ports, default ports, and any letter case all name one host.
/// </summary>
public sealed class HostMatchingTests
{
    [Theory]
    [InlineData("http://[::1]:8080/v", "http://[::1]:8080/v")]
    [InlineData("http://[::1]/v", "http://[::1]:80/v")]
    [InlineData("https://[2001:db8::1]:443/v", "https://[2001:DB8::1]/v")]
    [InlineData("https://API.Example.com/v", "https://api.example.COM:443/v")]
    [InlineData("http://api.example.com:8080/v", "http://Api.Example.Com:8080/v")]
    public void Match_RecordedHostInAnotherSpelling_UsesThatHost(string recorded, string live)
    {
        var index = MockFixtures.Index([
            MockFixtures.Get(recorded, """{"from":"recorded"}"""),
            MockFixtures.Get("http://other.test/v", """{"from":"other"}"""),
        ]);
        var shape = MockFixtures.Shape("GET", live);
        Assert.True(index.KnowsAuthority(shape.Authority), shape.Authority);
        Assert.Equal("""{"from":"recorded"}""", index.Match(shape).Entry!.Exchange.Response!.Body!.Text);
    }

    [Fact]
    public void Match_RelativeUrlWithBareIpv6HostHeader_SameHostAsBracketed()
    {
        var relative = MockFixtures.Get("http://x/v", """{"from":"header"}""") is var e
            ? e with { Request = e.Request with { Url = "/v", Headers = [new("Host", "::1")] } }
            : null!;
        var index = MockFixtures.Index([relative, MockFixtures.Get("http://other.test/v", """{"from":"other"}""")]);
        Assert.Contains("[::1]", index.Authorities);
        Assert.Equal("""{"from":"header"}""", index.Match(MockFixtures.Shape("GET", "http://[::1]/v")).Entry!.Exchange.Response!.Body!.Text);
    }

    [Theory]
    [InlineData("::1", "http://[::1]:8080/users/1", true)]
    [InlineData("[::1]", "http://[::1]:8080/users/1", true)]
    [InlineData("[::1]:8080", "http://[::1]:8080/users/1", true)]
    [InlineData("[::1]:9090", "http://[::1]:8080/users/1", false)]
    [InlineData("::2", "http://[::1]:8080/users/1", false)]
    [InlineData("[::1]:80", "http://[::1]/users/1", true)]
    [InlineData("[2001:db8::1]:443", "https://[2001:DB8::1]/users/1", true)]
    [InlineData("2001:DB8::1", "https://[2001:db8::1]:8443/users/1", true)]
    [InlineData("API.Example.com", "https://api.example.com/users/1", true)]
    [InlineData("api.example.com:8080", "http://API.EXAMPLE.com:8080/users/1", true)]
    [InlineData("api.example.com:8080", "http://api.example.com/users/1", false)]
    [InlineData("api.example.com", "http://api.example.com.evil.test/users/1", false)]
    public async Task Rule_HostInAnyRecordedForm_CoversTheRecordedExchange(string ruleHost, string recordedUrl, bool covered)
    {
        using var dir = new TempDir();
        var config = await RuleAsync(dir, ruleHost);
        var index = MockFixtures.Index([MockFixtures.Get(recordedUrl, """{"id":1}""")], configPath: config);
        Assert.Equal(covered ? "routes[0]" : "default", Assert.Single(index.Entries).Rule.Name);
    }

    [Theory]
    [InlineData("http://[::1]:8080/users/42")]
    [InlineData("http://127.0.0.1:5555/users/42")] // the client calls the mock itself: host-less keys, any rule host
    public async Task Match_WildcardRuleForIpv6Host_ServesAnyIdFromThatHost(string live)
    {
        using var dir = new TempDir();
        var config = await RuleAsync(dir, "[::1]:8080");
        var index = MockFixtures.Index([
            MockFixtures.Get("http://[::1]:8080/users/1", """{"id":1}"""),
            MockFixtures.Get("http://other.test/orders/1", """{"order":1}"""),
        ], configPath: config);
        var result = index.Match(MockFixtures.Shape("GET", live));
        Assert.Equal(MatchTier.Volatile, result.Tier);
        Assert.Equal("""{"id":1}""", result.Entry!.Exchange.Response!.Body!.Text);
    }

    [Theory]
    [InlineData("http://api.test")]
    [InlineData("[::1")]
    [InlineData("api.test:http")]
    [InlineData("api.test:123456")]
    [InlineData("api.test/v1")]
    [InlineData("")]
    public async Task Config_BadHost_OneLineNamingIt(string host)
    {
        using var dir = new TempDir();
        var config = await RuleAsync(dir, host);
        var errors = new List<string>();
        MockRules.Build(new Reprise.Mock.Chaos.ChaosOptions(), config, [], TimeProvider.System, errors);
        Assert.Equal($"{config}:2: routes[0].host: '{host}' must be a host or host:port as recorded (api.example.com, api.example.com:8080, [::1]:8080)", Assert.Single(errors));
    }

    private static async Task<string> RuleAsync(TempDir dir, string host)
    {
        var config = dir.File("mock.yaml");
        await File.WriteAllTextAsync(config, $"""
            routes:
              - host: "{host}"
                path: /users/*
            """, TestContext.Current.CancellationToken);
        return config;
    }
}
