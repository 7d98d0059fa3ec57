using Reprise.Core.Recording;
using Reprise.Redaction.Policy;
using Reprise.Testing;
using Xunit;

namespace Reprise.Redaction.Tests.Corpus;

public sealed class CanaryLeakTests(ITestOutputHelper output)
{
    private static readonly RedactionKey Key = RedactionKey.FromText("canary-test-key-0123456789");

    [Fact]
    public void Corpus_BeforeRedaction_ContainsEveryCanary()
    {
        // Guards the leak test itself: the planted values really are in the unredacted bytes (or in their compressed bodies).
        var (exchanges, canaries) = CanaryCorpus.Build();
        var bytes = exchanges.SelectMany(ExchangeJson.Serialize).ToArray();
        var found = LeakCheck.Find(bytes, canaries);
        var compressed = exchanges.Count(e => e.Response?.Headers.Get("content-encoding") is not null || e.Request.Headers.Get("content-encoding") is not null);
        Assert.True(canaries.Count >= 400, $"only {canaries.Count} canaries");
        Assert.True(found.Count >= canaries.Count - compressed, $"{found.Count} of {canaries.Count} canaries visible before redaction ({compressed} compressed)");
    }

    [Theory]
    [InlineData("out.reprise.jsonl")]
    [InlineData("out.reprise.jsonl.gz")]
    public async Task Corpus_RedactedAndWritten_NoCanaryInOutputBytes(string name)
    {
        var (exchanges, canaries) = CanaryCorpus.Build();
        var policy = RedactionPolicy.CreateDefault(Key);
        using var dir = new TempDir();
        var path = dir.File(name);
        var sink = new RecordingSink(path, new RecordingHeader { CreatedAt = DateTimeOffset.UnixEpoch, RedactionPolicy = policy.PolicyName, RedactionDigest = policy.PolicyDigest });
        await sink.ConsumeAsync(new RedactTransform(policy).TransformAsync(exchanges.ToAsyncEnumerable()), TestContext.Current.CancellationToken);

        var bytes = name.EndsWith(".gz", StringComparison.Ordinal) ? Gunzip(path) : await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        var leaks = LeakCheck.Find(bytes, canaries);
        output.WriteLine($"{canaries.Count} canaries of {canaries.Select(c => c.Kind).Distinct().Count()} kinds in {exchanges.Count} exchanges; leaks: {leaks.Count}");
        foreach (var leak in leaks.Take(20))
        {
            output.WriteLine("LEAK " + leak);
        }

        Assert.Empty(leaks);
        var read = await Exchanges.ReadAllAsync(name.EndsWith(".gz", StringComparison.Ordinal) ? path : path);
        Assert.Equal(exchanges.Count, read.Count);
        Assert.All(read, e => Assert.NotEmpty(e.Redactions));
    }

    private static byte[] Gunzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
