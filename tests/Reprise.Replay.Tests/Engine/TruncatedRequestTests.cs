using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>A request whose recorded body was cut at record time (<c>body.truncated</c>) is skipped and counted, never sent cut.</summary>
public sealed class TruncatedRequestTests
{
    [Fact]
    public async Task TruncatedRequestBody_IsSkipped_CountedAndNotAResult()
    {
        await using var target = await CountingTarget.StartAsync();
        var whole = Recorded.Request("POST", "/docs", 0, body: """{"text":"short"}""");
        var cut = Recorded.Request("POST", "/docs", 0.01, body: """{"text":"aaaaaaaa""");
        cut = cut with { Request = cut.Request with { Body = cut.Request.Body! with { Truncated = true, Size = 5000 } } };
        var after = Recorded.Request("GET", "/docs", 0.02);
        var sink = new ListSink();

        var summary = await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([whole, cut, after]), sink, TestContext.Current.CancellationToken);

        Assert.Equal(2, target.Count);
        Assert.DoesNotContain(target.Arrivals, a => a.Body.Contains("aaaaaaaa", StringComparison.Ordinal));
        Assert.Equal(2, summary.Sent);
        Assert.Equal(1, summary.SkippedTruncated);
        Assert.Equal(0, summary.Errors);
        Assert.DoesNotContain(sink.Results, r => r.Tags[WellKnownTags.ReplayOf] == cut.Id);
    }
}
