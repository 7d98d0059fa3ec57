using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Engine;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>The session-key look-ahead keeps only inbound exchanges and reads a bounded number of exchanges.</summary>
public sealed class SessionKeyWindowTests
{
    [Fact]
    public async Task ManyOutboundBetweenInbound_LookAheadIsBounded_AndOutboundAreCountedOnce()
    {
        // The source stops a little past the look-ahead cap until the first request reaches the target: a look-ahead
        // that read on would wait for a request that is only sent after it (and time out below).
        const int outbound = Dispatcher.MaxWindowRead + 50_000;
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var target = await CountingTarget.StartAsync(app =>
            app.MapGet("/{name}", (string name) =>
            {
                firstArrived.TrySetResult();
                return HttpResults.Ok();
            }));
        var first = Recorded.Request("GET", "/a", 0);
        var call = Recorded.Request("GET", "/dependency", 0.01) with { Direction = Direction.Outbound };
        var last = Recorded.Request("GET", "/b", 0.02);
        var waitedForTheRun = false;

        async IAsyncEnumerable<Exchange> Source([EnumeratorCancellation] CancellationToken ct = default)
        {
            yield return first;
            for (var i = 0; i < outbound; i++)
            {
                if (i == Dispatcher.MaxWindowRead + Reprise.Core.Transforms.StartOrderTransform.DefaultWindow + 10) // replay reorders by start through a window
                {
                    waitedForTheRun = await Task.WhenAny(firstArrived.Task, Task.Delay(TimeSpan.FromSeconds(20), ct)) == firstArrived.Task;
                }

                yield return call;
            }

            yield return last;
        }

        var summary = await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 1000 }, Source(), new ListSink(), TestContext.Current.CancellationToken);

        Assert.True(waitedForTheRun, "the look-ahead read past its cap before the run started");
        Assert.Equal(["/a", "/b"], target.Arrivals.Select(a => a.PathAndQuery).Order(StringComparer.Ordinal));
        Assert.Equal(outbound, summary.SkippedOutbound);
    }
}
