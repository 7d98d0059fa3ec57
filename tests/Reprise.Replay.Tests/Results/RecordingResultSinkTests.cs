using System.Text;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;
using Reprise.Replay.Results;
using Reprise.Testing;
using Xunit;

namespace Reprise.Replay.Tests.Results;

public sealed class RecordingResultSinkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WriteAsync_WithRedactor_WritesOnlyRedactedResultsAndNamesThePolicy()
    {
        using var dir = new TempDir();
        var path = dir.File("results.reprise.jsonl");
        var redactor = new ReplacingRedactor("jane@mail.com", "tok_email_aaaaaaaaaaaaaaaa@redacted.example.com");
        var sink = await RecordingResultSink.CreateAsync(path, Exchange.EmptyTags.Add("source", "replay"), overwrite: false, TimeProvider.System, redactor, Ct);
        await using (sink)
        {
            await sink.WriteAsync(Exchanges.Get("http://svc.test/users?email=jane@mail.com", """{"email":"jane@mail.com"}"""), Ct);
        }

        Assert.DoesNotContain("jane@mail.com", File.ReadAllText(path), StringComparison.Ordinal);
        var header = await new RecordingReader(path).ReadHeaderAsync(Ct);
        Assert.Equal("test", header.RedactionPolicy);
        Assert.Equal("sha256:test", header.RedactionDigest);
        var result = Assert.Single(await Exchanges.ReadAllAsync(path));
        Assert.Equal("""{"email":"tok_email_aaaaaaaaaaaaaaaa@redacted.example.com"}""", result.Response!.Body!.Text);
    }

    [Fact]
    public async Task WriteAsync_RedactorThrows_DropsTheResultInsteadOfWritingItRaw()
    {
        using var dir = new TempDir();
        var path = dir.File("results.reprise.jsonl");
        var sink = await RecordingResultSink.CreateAsync(path, Exchange.EmptyTags, overwrite: false, TimeProvider.System, new ThrowingRedactor(), Ct);
        await using (sink)
        {
            await sink.WriteAsync(Exchanges.Get("http://svc.test/a", """{"password":"hunter2"}"""), Ct);
        }

        Assert.Equal(1, sink.RedactionFailures);
        Assert.Equal(0, sink.Written);
        Assert.DoesNotContain("hunter2", File.ReadAllText(path, Encoding.UTF8), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_WithoutRedactor_HeaderSaysRedactionDisabled()
    {
        using var dir = new TempDir();
        var path = dir.File("results.reprise.jsonl");
        await using (await RecordingResultSink.CreateAsync(path, Exchange.EmptyTags, overwrite: false, TimeProvider.System, Ct))
        {
        }

        var header = await new RecordingReader(path).ReadHeaderAsync(Ct);
        Assert.Null(header.RedactionPolicy);
        Assert.Equal("disabled", header.Capture["redaction"]);
    }

    private sealed class ThrowingRedactor : IExchangeRedactor
    {
        public string PolicyName => "broken";

        public string PolicyDigest => "sha256:broken";

        public Exchange Redact(Exchange exchange) => throw new InvalidOperationException("detector bug");
    }
}
