using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// An Engine.IO polling response batches packets, and a ping (<c>2</c>) lands in a batch or not depending on timing. The
/// recorded and the new batch are paired by their records with data, in order: paired by position, the recording's first
/// message (after its ping) would meet the target's second, and a later delete of the first would remove the second.
/// </summary>
public sealed class PollingBatchCorrelationTests
{
    [Fact]
    public async Task APingOnlyInTheRecordedBatch_DoesNotShiftThePairs_SoTheDeleteRemovesTheMessageItCreated()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/socket.io/", () => HttpResults.Text("42[\"created\",{\"id\":\"m_201\"}]\u001e42[\"created\",{\"id\":\"m_202\"}]", "text/plain; charset=UTF-8"));
            app.MapDelete("/messages/{id}", (string id) => HttpResults.NoContent());
        });
        var poll = Recorded.Request("GET", "/socket.io/?EIO=4&transport=polling", 0, session: "c",
            responseBody: "2\u001e42[\"created\",{\"id\":\"m_101\"}]\u001e42[\"created\",{\"id\":\"m_102\"}]",
            responseHeaders: [new HeaderField("Content-Type", "text/plain; charset=UTF-8")]);
        var delete = Recorded.Request("DELETE", "/messages/m_101", 0.1, session: "c", status: 204);

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([poll, delete]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal("/messages/m_201", target.Arrivals.ToList()[1].PathAndQuery);
    }
}
