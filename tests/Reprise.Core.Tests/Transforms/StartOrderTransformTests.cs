using System.Globalization;
using CsCheck;
using Reprise.Core.Model;
using Reprise.Core.Transforms;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Transforms;

public sealed class StartOrderTransformTests
{
    [Fact]
    public async Task Transform_WrittenInCompletionOrder_ComesOutInStartOrder()
    {
        var input = new[] { At("second", 200), At("third", 400), At("first", 0), At("fourth", 600) };
        Assert.Equal(["first", "second", "third", "fourth"], await RunAsync(new StartOrderTransform(), input));
    }

    [Fact]
    public async Task Transform_SameStart_KeepsFileOrder()
    {
        var input = new[] { At("b", 5), At("a", 5), At("c", 5) };
        Assert.Equal(["b", "a", "c"], await RunAsync(new StartOrderTransform(), input));
    }

    [Fact]
    public void Transform_AnyInputDisplacedLessThanTheWindow_SortedByStartStably()
    {
        // Sorted starts (with ties), then each element moved by fewer than `window` positions.
        Gen.Int[0, 5].Array[0, 80].Select(Gen.Int[1, 8], Gen.Int[0, 1000], (gaps, window, seed) => (gaps, window, seed)).Sample(t =>
        {
            var (gaps, window, seed) = t;
            var starts = new int[gaps.Length];
            for (var i = 1; i < gaps.Length; i++)
            {
                starts[i] = starts[i - 1] + gaps[i];
            }

            var sorted = starts.Select((s, i) => At(i.ToString(CultureInfo.InvariantCulture), s)).ToArray();
            var shuffled = (Exchange[])sorted.Clone();
            var random = new Random(seed);
            for (var i = 0; i + 1 < shuffled.Length; i++)
            {
                // Swap neighbours now and then: every element ends at most `window - 1` positions away.
                if (window > 1 && random.Next(3) == 0 && shuffled[i].StartedAt != shuffled[i + 1].StartedAt)
                {
                    (shuffled[i], shuffled[i + 1]) = (shuffled[i + 1], shuffled[i]);
                    i++;
                }
            }

            var output = RunAsync(new StartOrderTransform(window), shuffled).GetAwaiter().GetResult();
            return output.SequenceEqual(sorted.Select(e => e.Id));
        });
    }

    [Fact]
    public void Transform_AnyInputAnyWindow_EveryExchangeExactlyOnce()
    {
        Gen.Int[0, 100].Array[0, 60].Select(Gen.Int[1, 10], (starts, window) => (starts, window)).Sample(t =>
        {
            var input = t.starts.Select((s, i) => At(i.ToString(CultureInfo.InvariantCulture), s)).ToArray();
            var output = RunAsync(new StartOrderTransform(t.window), input).GetAwaiter().GetResult();
            return output.Order(StringComparer.Ordinal).SequenceEqual(input.Select(e => e.Id).Order(StringComparer.Ordinal));
        });
    }

    private static Exchange At(string id, int offsetMs) => Exchanges.Get("http://a.test/" + id, id: id, offsetMs: offsetMs);

    private static async Task<List<string>> RunAsync(StartOrderTransform transform, IEnumerable<Exchange> input)
    {
        var list = new List<string>();
        await foreach (var exchange in transform.TransformAsync(input.ToAsyncEnumerable()))
        {
            list.Add(exchange.Id);
        }

        return list;
    }
}
