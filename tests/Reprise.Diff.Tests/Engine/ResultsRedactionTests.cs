using Reprise.Core.Model;
using Reprise.Core.Recording;
using Reprise.Diff.Engine;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Engine;

/// <summary>A redacted recording against unredacted results: the recording's policy is applied to the results side.</summary>
public sealed class ResultsRedactionTests
{
    private const string Raw = "jane@mail.com";
    private const string Token = "tok_email_aaaaaaaaaaaaaaaa@redacted.example.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnredactedResults_RedactorGiven_TokenMeetsTokenAndNoRawValueInTheReport()
    {
        using var dir = new TempDir();
        await WriteAsync(dir.File("rec.reprise.jsonl"), "test", Recorded($$"""{"email":"{{Token}}","n":1}"""));
        await WriteAsync(dir.File("same.reprise.jsonl"), null, Result($$"""{"email":"{{Raw}}","n":1}"""));
        await WriteAsync(dir.File("changed.reprise.jsonl"), null, Result("""{"email":"joe@mail.com","n":1}"""));
        var warnings = new List<string>();
        var options = new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("same.reprise.jsonl"), ResultsRedactor = new ReplacingRedactor(Raw, Token) };

        var same = await new DiffEngine(options, warnings.Add).RunAsync(Ct);
        Assert.Equal(0L, same.Endpoints.Sum(e => e.Diffs));
        Assert.Contains(warnings, w => w.Contains("results are not redacted", StringComparison.Ordinal));

        // Without the redactor the same files differ on the email and the report shows the raw value.
        var raw = await new DiffEngine(options with { ResultsRedactor = null }).RunAsync(Ct);
        Assert.Equal(1L, raw.Endpoints.Sum(e => e.Diffs));
        Assert.Contains(Raw, raw.Samples[0].ActualBody, StringComparison.Ordinal);

        var changed = await new DiffEngine(options with { Results = dir.File("changed.reprise.jsonl") }).RunAsync(Ct);
        Assert.Equal(1L, changed.Endpoints.Sum(e => e.Diffs));
    }

    [Fact]
    public async Task RedactedResults_AreNotRedactedAgain()
    {
        using var dir = new TempDir();
        await WriteAsync(dir.File("rec.reprise.jsonl"), "test", Recorded($$"""{"email":"{{Token}}"}"""));
        await WriteAsync(dir.File("results.reprise.jsonl"), "test", Result($$"""{"email":"{{Token}}"}"""));
        var redactor = new ReplacingRedactor(Raw, Token);

        var report = await new DiffEngine(new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("results.reprise.jsonl"), ResultsRedactor = redactor }).RunAsync(Ct);

        Assert.Equal(0L, report.Endpoints.Sum(e => e.Diffs));
        Assert.Equal(0, redactor.Calls);
    }

    [Theory]
    [InlineData("tok_email_vn3qzn37oav62p5e@redacted.example.com", "tok_email_zw7qfswt2co4lcvv@redacted.example.com")]
    [InlineData("tok_id_vn3qzn37oav62p5e", "tok_id_zw7qfswt2co4lcvv")]
    [InlineData("tok_bearer_vn3qzn37oav62p5e", "tok_bearer_zw7qfswt2co4lcvv")]
    public void ChangedTokens_AreNeverVolatileNoise(string recorded, string actual) =>
        Assert.Null(Reprise.Diff.Noise.VolatileFormats.Shared(recorded, actual));

    private static Exchange Recorded(string json) => Exchanges.Get("http://svc.test/me", json, id: "r1");

    private static Exchange Result(string json) => Exchanges.Get("http://svc.test/me", json) with { Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, "r1") };

    private static async Task WriteAsync(string path, string? policy, Exchange exchange)
    {
        await using var writer = await RecordingWriter.CreateAsync(path, new RecordingHeader { CreatedAt = DateTimeOffset.UnixEpoch, RedactionPolicy = policy, RedactionDigest = policy is null ? null : "sha256:" + policy }, new RecordingWriterOptions { Overwrite = true });
        await writer.WriteAsync(exchange);
        await writer.CompleteAsync();
    }
}
