using Reprise.Diff.Model;
using Reprise.Diff.Noise;
using Reprise.Diff.Stats;

namespace Reprise.Diff.Engine;

/// <summary>Running totals of one endpoint while results stream.</summary>
internal sealed class EndpointAccumulator(string name, int index)
{
    public string Name { get; } = name;

    public int Index { get; } = index;

    public long Exchanges { get; set; }

    public long Diffs { get; set; }

    public long Differences { get; set; }

    public long StatusChanges { get; set; }

    public long Errors { get; set; }

    /// <summary>New errors by <see cref="ErrorClass"/> kind.</summary>
    public Dictionary<string, long> ErrorsByKind { get; } = new(StringComparer.Ordinal);

    public long ReferenceErrors { get; set; }

    public long ReferenceExchanges { get; set; }

    public int Samples { get; set; }

    public LatencySamples Reference { get; } = new();

    public LatencySamples Baseline { get; } = new();

    public long BaselineErrors { get; set; }

    /// <summary>Baseline results paired with this endpoint (all of them: <see cref="Baseline"/> holds only the known latencies).</summary>
    public long BaselineExchanges { get; set; }

    public LatencySamples Candidate { get; } = new();

    public Dictionary<string, (DifferenceKind Kind, long Count, Difference Example)> Locations { get; } = new(StringComparer.Ordinal);

    public void Count(List<Difference> differences)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var difference in differences)
        {
            // Keyed by location and kind: a field that changed in some exchanges and vanished in others is two lines.
            var location = LocationGlob.Generalize(difference.Location) + "\u0000" + difference.Kind;
            if (!seen.Add(location))
            {
                continue;
            }

            Locations[location] = Locations.TryGetValue(location, out var entry)
                ? entry with { Count = entry.Count + 1 }
                : (difference.Kind, 1, difference);
        }
    }
}
