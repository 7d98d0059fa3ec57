using Reprise.Capture.Recording;
using Xunit;

namespace Reprise.Capture.Tests.Recording;

public sealed class RedactionOrderTests
{
    [Fact]
    public void NothingAnsweredBeforeTheRequestBegan_NothingToWaitFor()
    {
        var order = new RedactionOrder();
        var snapshot = order.Snapshot();
        order.Answered(); // answered after the request began: it cannot hold values the request carries

        Assert.True(order.WaitAsync(snapshot).IsCompleted);
    }

    [Fact]
    public async Task WaitsForEveryExchangeAnsweredBefore_UntilEachIsDone()
    {
        var order = new RedactionOrder();
        var first = order.Answered();
        var second = order.Answered();
        var snapshot = order.Snapshot();
        var later = order.Answered();

        var wait = order.WaitAsync(snapshot);
        Assert.False(wait.IsCompleted);
        order.Done(first);
        Assert.False(wait.IsCompleted);
        order.Done(later); // not one it waits for
        Assert.False(wait.IsCompleted);
        order.Done(second);
        await wait.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Done_IsIdempotent_AndZeroIsNoExchange()
    {
        var order = new RedactionOrder();
        var first = order.Answered();
        var snapshot = order.Snapshot();
        order.Done(first);
        order.Done(first);
        order.Done(0);

        Assert.True(order.WaitAsync(snapshot).IsCompleted);
    }

    [Fact]
    public async Task ManyConcurrentExchanges_EveryWaitCompletes()
    {
        var order = new RedactionOrder();
        var ct = TestContext.Current.CancellationToken;
        var exchanges = Enumerable.Range(0, 8).Select(_ => Task.Run(
            async () =>
            {
                for (var i = 0; i < 500; i++)
                {
                    var snapshot = order.Snapshot();
                    var sequence = order.Answered();
                    await order.WaitAsync(snapshot);
                    order.Done(sequence);
                }
            },
            ct));

        await Task.WhenAll(exchanges).WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.True(order.WaitAsync(order.Snapshot()).IsCompleted);
    }
}
