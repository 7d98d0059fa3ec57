using Reprise.Replay.Engine;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>The bounded session table: a full table must not drop sessions that are still in use.</summary>
public sealed class SessionTableTests
{
    [Fact]
    public void Full_EvictsLeastRecentlyUsedIdleSessionsOnly()
    {
        var table = new SessionTable(capacity: 8);
        var first = new Dictionary<string, ReplaySession>();
        foreach (var key in new[] { "a", "b", "c", "d", "e", "f", "g", "h" })
        {
            first[key] = table.GetOrAdd(key, 0, 0, out var created);
            Assert.True(created);
        }

        // "a" is used again (it has more requests), "h" is running right now.
        Assert.Same(first["a"], table.GetOrAdd("a", 0, 0, out var reused));
        Assert.False(reused);
        first["h"].Busy = true;

        table.GetOrAdd("i", 0, 0, out var createdI);
        Assert.True(createdI);

        // Two (a quarter of the capacity) of the least recently used idle sessions made room: b and c.
        Assert.Equal(7, table.Count);
        foreach (var key in new[] { "a", "d", "e", "f", "g", "h" })
        {
            Assert.Same(first[key], table.GetOrAdd(key, 0, 0, out var kept));
            Assert.False(kept);
        }

        Assert.NotSame(first["b"], table.GetOrAdd("b", 0, 0, out var recreated));
        Assert.True(recreated);
    }

    [Fact]
    public void Full_AllBusy_GrowsInsteadOfDroppingRunningSessions()
    {
        var table = new SessionTable(capacity: 2);
        var a = table.GetOrAdd("a", 0, 0, out _);
        var b = table.GetOrAdd("b", 0, 0, out _);
        a.Busy = true;
        b.Busy = true;

        table.GetOrAdd("c", 0, 0, out _);

        Assert.Equal(3, table.Count);
        Assert.Same(a, table.GetOrAdd("a", 0, 0, out _));
        Assert.Same(b, table.GetOrAdd("b", 0, 0, out _));
    }
}
