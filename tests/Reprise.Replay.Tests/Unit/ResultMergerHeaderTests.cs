using Reprise.Core.Model;
using Reprise.Core.Recording;
using Reprise.Replay.Merge;
using Reprise.Testing;
using Xunit;

namespace Reprise.Replay.Tests.Unit;

/// <summary>The merged header names a redaction policy only when every shard was written under the same one.</summary>
public sealed class ResultMergerHeaderTests
{
    [Theory]
    [InlineData("default", "sha256:aa", "default", "sha256:aa", "default", "sha256:aa")]
    [InlineData("default", "sha256:aa", null, null, null, null)]
    [InlineData(null, null, "default", "sha256:aa", null, null)]
    [InlineData("default", "sha256:aa", "default", "sha256:bb", null, null)]
    public async Task Merge_KeepsTheRedactionPolicyOnlyIfEveryInputAgrees(string? policy0, string? digest0, string? policy1, string? digest1, string? expectedPolicy, string? expectedDigest)
    {
        using var dir = new TempDir();
        var a = dir.File("a.jsonl");
        var b = dir.File("b.jsonl");
        await WriteAsync(a, policy0, digest0);
        await WriteAsync(b, policy1, digest1);
        var output = dir.File("merged.jsonl");

        await ResultMerger.MergeAsync([a, b], output, overwrite: false, cancellationToken: TestContext.Current.CancellationToken);

        var header = await new RecordingReader(output).ReadHeaderAsync(TestContext.Current.CancellationToken);
        Assert.Equal(expectedPolicy, header.RedactionPolicy);
        Assert.Equal(expectedDigest, header.RedactionDigest);
    }

    private static async Task WriteAsync(string path, string? policy, string? digest)
    {
        var header = new RecordingHeader { CreatedAt = DateTimeOffset.UnixEpoch, Capture = Exchange.EmptyTags, RedactionPolicy = policy, RedactionDigest = digest };
        await using var writer = await RecordingWriter.CreateAsync(path, header, new RecordingWriterOptions { Overwrite = true });
        await writer.CompleteAsync();
    }
}
