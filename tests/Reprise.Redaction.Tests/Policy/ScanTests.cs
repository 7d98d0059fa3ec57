using Reprise.Redaction.Tests.Corpus;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Policy;

public sealed class ScanTests
{
    [Fact]
    public void Scan_CanaryCorpus_FindsEveryExchange_PreviewsNeverHoldACanary()
    {
        var (exchanges, canaries) = CanaryCorpus.Build(instances: 1);
        var findings = exchanges.Select(Policies.Default.Scan).ToList();

        Assert.All(findings, f => Assert.NotEmpty(f));
        var previews = System.Text.Encoding.UTF8.GetBytes(string.Join("\n", findings.SelectMany(f => f).Select(f => f.Preview)));
        Assert.Empty(LeakCheck.Find(previews, canaries));
        Assert.All(findings.SelectMany(f => f).Where(f => f.Kind is "Password" or "Secret" or "ApiKey" or "Jwt" or "BearerToken"), f => Assert.Matches(@"^\*+…?$", f.Preview));
    }

    [Fact]
    public void Scan_RedactedCorpus_IsClean()
    {
        var (exchanges, _) = CanaryCorpus.Build(instances: 1);
        var redacted = exchanges.Select(Policies.Default.Redact).ToList();

        var remaining = redacted.SelectMany(Policies.Default.Scan).ToList();

        Assert.True(remaining.Count == 0, string.Join("\n", remaining.Take(10)));
    }

    [Fact]
    public void Scan_ApiKey_NamesProvider()
    {
        var findings = Policies.Default.Scan(Policies.Json("""{"note":"use ghp_abcdefghijklmnopqrstuvwxyz0123456789 here"}"""));
        Assert.Equal("api-key:github", Assert.Single(findings).Detector);
    }

    [Fact]
    public void Redact_ConcurrentCallers_SameResultAsSequential()
    {
        // The record pipeline calls one policy from many proxy requests at once.
        var (exchanges, _) = CanaryCorpus.Build(instances: 1);
        var policy = Reprise.Redaction.Policy.RedactionPolicy.CreateDefault(Policies.Key);
        var sequential = exchanges.Select(e => Core.Recording.ExchangeJson.Serialize(policy.Redact(e))).ToList();
        var parallel = new byte[exchanges.Count][];
        Parallel.For(0, exchanges.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i % exchanges.Count] = Core.Recording.ExchangeJson.Serialize(policy.Redact(exchanges[i % exchanges.Count])));

        for (var i = 0; i < exchanges.Count; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }
}
