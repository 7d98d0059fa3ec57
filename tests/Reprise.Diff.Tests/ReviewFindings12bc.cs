using Reprise.Core.Model;
using Reprise.Core.Recording;
using Reprise.Diff.Engine;
using Reprise.Testing;

namespace Reprise.Diff.Tests;

/// <summary>
/// Review of QA round 12c's email token domain: a recording made before it holds <c>tok_email_…@redacted.invalid</c>;
/// results redacted now hold the same token as <c>…@redacted.example.com</c>, and every email was a difference.
/// </summary>
public sealed class ReviewFindings12bc
{
    private const string Raw = "jane@mail.com";
    private const string Mac = "tok_email_aaaaaaaaaaaaaaaa";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ALegacyEmailToken_MeetsTheSameTokenInTodaysDomain()
    {
        using var dir = new TempDir();
        await WriteAsync(dir.File("rec.reprise.jsonl"), "test", Recorded($$"""{"email":"{{Mac}}@redacted.invalid","note":"mail {{Mac}}@redacted.invalid","n":1}"""));
        await WriteAsync(dir.File("results.reprise.jsonl"), null, Result($$"""{"email":"{{Raw}}","note":"mail {{Raw}}","n":1}"""));
        await WriteAsync(dir.File("other.reprise.jsonl"), null, Result("""{"email":"joe@mail.com","note":"mail joe@mail.com","n":1}"""));
        var options = new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("results.reprise.jsonl"), ResultsRedactor = new ReplacingRedactor(Raw, Mac + "@redacted.example.com") };

        var same = await new DiffEngine(options).RunAsync(Ct);
        Assert.Equal(0L, same.Endpoints.Sum(e => e.Diffs));

        var other = await new DiffEngine(options with { Results = dir.File("other.reprise.jsonl") }).RunAsync(Ct);
        Assert.Equal(1L, other.Endpoints.Sum(e => e.Diffs));
    }

    private static Exchange Recorded(string json) => Exchanges.Get("http://svc.test/me", json, id: "r1");

    private static Exchange Result(string json) => Exchanges.Get("http://svc.test/me", json) with { Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, "r1") };

    private static async Task WriteAsync(string path, string? policy, Exchange exchange)
    {
        await using var writer = await RecordingWriter.CreateAsync(path, new RecordingHeader { CreatedAt = DateTimeOffset.UnixEpoch, RedactionPolicy = policy, RedactionDigest = policy is null ? null : "sha256:" + policy }, new RecordingWriterOptions { Overwrite = true });
        await writer.WriteAsync(exchange);
        await writer.CompleteAsync();
    }
}
