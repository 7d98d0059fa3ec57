using System.Globalization;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Pipeline;

public sealed class StartOrderBufferTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    [Fact]
    public void Offer_CompletedOutOfOrder_ReleasedInTicketOrderOnceTheGapFills()
    {
        var buffer = new StartOrderBuffer(Window, 100, new FakeTimeProvider());
        var ready = new List<Exchange>();

        buffer.Offer(Ex(2), 2, ready);
        buffer.Offer(Ex(3), 3, ready);
        Assert.Empty(ready); // 1 is still in flight
        buffer.Offer(Ex(1), 1, ready);

        Assert.Equal(["1", "2", "3"], Ids(ready));
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void Offer_SkippedTicket_ReleasesThoseBehindIt()
    {
        var buffer = new StartOrderBuffer(Window, 100, new FakeTimeProvider());
        var ready = new List<Exchange>();

        buffer.Offer(Ex(2), 2, ready);
        buffer.Offer(null, 1, ready); // sampled out / redaction failed

        Assert.Equal(["2"], Ids(ready));
    }

    [Fact]
    public void Expire_EarlierRequestStillInFlightPastTheWindow_WritesTheOthersAndTheLateOneWhenItComes()
    {
        var time = new FakeTimeProvider();
        var buffer = new StartOrderBuffer(Window, 100, time);
        var ready = new List<Exchange>();
        buffer.Offer(Ex(2), 2, ready);
        time.Advance(TimeSpan.FromSeconds(1));
        buffer.Offer(Ex(3), 3, ready);

        Assert.Equal(TimeSpan.FromSeconds(1), buffer.Expire(ready)); // 2 is due in one second
        Assert.Empty(ready);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(buffer.Expire(ready)); // 2 waited the window: 1 is given up, 2 and 3 go
        Assert.Equal(["2", "3"], Ids(ready));

        buffer.Offer(Ex(1), 1, ready); // the long request (SSE, long poll) ends: written at once
        buffer.Offer(Ex(4), 4, ready);
        Assert.Equal(["2", "3", "1", "4"], Ids(ready));
    }

    [Fact]
    public void Expire_SeveralGaps_EachHeldExchangeWaitsAtMostTheWindowFromItsArrival()
    {
        var time = new FakeTimeProvider();
        var buffer = new StartOrderBuffer(Window, 100, time);
        var ready = new List<Exchange>();
        buffer.Offer(Ex(3), 3, ready);
        time.Advance(TimeSpan.FromSeconds(1));
        buffer.Offer(Ex(5), 5, ready);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(1), buffer.Expire(ready)); // 3 goes (1 and 2 given up); 5 still waits for 4
        Assert.Equal(["3"], Ids(ready));
        buffer.Offer(Ex(4), 4, ready);
        Assert.Equal(["3", "4", "5"], Ids(ready));
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void Offer_MoreThanCapacityHeld_ReleasesTheOldestWithoutWaiting()
    {
        var buffer = new StartOrderBuffer(Window, 3, new FakeTimeProvider());
        var ready = new List<Exchange>();
        foreach (var ticket in new[] { 3, 5, 7, 9 })
        {
            buffer.Offer(Ex(ticket), ticket, ready);
        }

        Assert.Equal(["3"], Ids(ready));
        Assert.Equal(3, buffer.Count);
    }

    [Fact]
    public void Offer_Unticketed_WrittenAtOnce()
    {
        var buffer = new StartOrderBuffer(Window, 100, new FakeTimeProvider());
        var ready = new List<Exchange>();
        buffer.Offer(Ex(2), 2, ready);
        buffer.Offer(Ex(0), 0, ready); // a blind tunnel: no start ticket
        Assert.Equal(["0"], Ids(ready));
    }

    [Fact]
    public void Offer_AnyCompletionOrderWithinBounds_EveryExchangeOnceInTicketOrder()
    {
        Gen.Int[1, 60].SelectMany(n => Gen.Shuffle(Enumerable.Range(1, n).ToArray()).Select(Gen.Bool.Array[n], (order, skipped) => (order, skipped)))
            .Sample(t =>
            {
                var (order, skipped) = t;
                var buffer = new StartOrderBuffer(Window, 1000, new FakeTimeProvider());
                var ready = new List<Exchange>();
                foreach (var ticket in order)
                {
                    buffer.Offer(skipped[ticket - 1] ? null : Ex(ticket), ticket, ready);
                }

                var expected = Enumerable.Range(1, order.Length).Where(i => !skipped[i - 1]).Select(i => i.ToString(CultureInfo.InvariantCulture));
                return buffer.Count == 0 && expected.SequenceEqual(Ids(ready));
            });
    }

    [Fact]
    public void Offer_AnyCompletionOrderAndTinyCapacity_EveryExchangeExactlyOnce()
    {
        Gen.Int[1, 60].SelectMany(n => Gen.Shuffle(Enumerable.Range(1, n).ToArray()).Select(Gen.Int[1, 5], (order, capacity) => (order, capacity)))
            .Sample(t =>
            {
                var (order, capacity) = t;
                var buffer = new StartOrderBuffer(Window, capacity, new FakeTimeProvider());
                var ready = new List<Exchange>();
                foreach (var ticket in order)
                {
                    buffer.Offer(Ex(ticket), ticket, ready);
                    if (buffer.Count > capacity)
                    {
                        return false;
                    }
                }

                buffer.ReleaseAll(ready);
                return Ids(ready).Order(StringComparer.Ordinal).SequenceEqual(order.Select(i => i.ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal));
            });
    }

    private static Exchange Ex(int ticket) => Exchanges.Get("http://a.test/" + ticket, id: ticket.ToString(CultureInfo.InvariantCulture));

    private static List<string> Ids(List<Exchange> exchanges) => exchanges.ConvertAll(e => e.Id);
}
