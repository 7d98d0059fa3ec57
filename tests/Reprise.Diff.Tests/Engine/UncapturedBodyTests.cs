using Reprise.Core.Model;
using Reprise.Diff.Engine;
using Reprise.Diff.Model;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Engine;

/// <summary>
/// <c>record --max-body 0</c> (headers only) and HAR entries without body text keep none of a body: an unchanged
/// service answering its usual body must not be reported as "body: added".
/// </summary>
public sealed class UncapturedBodyTests
{
    private static Exchange Recorded(ExchangeBody? body)
    {
        var exchange = Exchanges.Get("http://app.test/latin1", id: "r1");
        return exchange with { Response = exchange.Response! with { Body = body } };
    }

    private static Exchange Result(ExchangeBody? body)
    {
        var exchange = Exchanges.Get("http://app.test/latin1", id: "c1");
        return exchange with
        {
            Response = exchange.Response! with { Body = body },
            Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, "r1").Add(WellKnownTags.ReplayRun, "cand"),
        };
    }

    private static async Task<DiffReport> RunAsync(Exchange recorded, Exchange result)
    {
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [recorded]);
        await Exchanges.WriteRecordingAsync(dir.File("cand.reprise.jsonl"), [result]);
        return await new DiffEngine(new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("cand.reprise.jsonl") }).RunAsync(TestContext.Current.CancellationToken);
    }

    private static ExchangeBody NothingKept(long size) => new() { Content = ReadOnlyMemory<byte>.Empty, MediaType = "text/plain", Size = size, Truncated = true };

    [Theory]
    [InlineData(30)]
    [InlineData(0)] // a HAR that does not even say how large it was
    public async Task RecordedWithNothingKept_TheSameBodyNow_IsNoDifference(long size)
    {
        var report = await RunAsync(Recorded(NothingKept(size)), Result(ExchangeBody.FromText("Café crème brûlée, Zoë Müller\n", "text/plain")));

        Assert.Equal(0, report.Variables["diffs"]);
    }

    [Fact]
    public async Task RecordedWithNothingKept_NoBodyNow_IsRemoved()
    {
        var report = await RunAsync(Recorded(NothingKept(30)), Result(null));

        var location = Assert.Single(Assert.Single(report.Endpoints).Locations);
        Assert.Equal("body", location.Location);
        Assert.Equal(DifferenceKind.Removed, location.Kind);
    }

    // QA round 12c: a result cut by replay (the recording whole) was shown as "7014518 bytes (truncated) → 7014380 bytes",
    // the recording's side labelled as the cut one.
    [Fact]
    public async Task AResultCutShorter_IsLabelledOnItsOwnSide()
    {
        var whole = ExchangeBody.FromText(new string('a', 40) + "b", "text/plain");
        var cut = new ExchangeBody { Content = System.Text.Encoding.UTF8.GetBytes(new string('a', 20) + "c"), MediaType = "text/plain", Size = 45, Truncated = true };

        var report = await RunAsync(Recorded(whole), Result(cut));

        var location = Assert.Single(Assert.Single(report.Endpoints).Locations);
        Assert.Equal("body:truncated", location.Location);
        Assert.Equal("41 bytes", location.Example.Expected);
        Assert.Equal("45 bytes (truncated)", location.Example.Actual);
    }
}
