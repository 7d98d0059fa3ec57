using Reprise.Core.Model;
using Reprise.Diff.Bodies;
using Reprise.Diff.Model;
using Reprise.Diff.Noise;

namespace Reprise.Diff.Engine;

/// <summary>Keeps the differences that are not noise for one exchange.</summary>
internal sealed class CollectingSink(NoiseModel noise) : IDiffSink
{
    public string Endpoint { get; set; } = string.Empty;

    public List<Difference> Differences { get; } = [];

    /// <summary>The ids replay correlated in this result's session (recorded → new), from its <c>replay.correlated</c> tag.</summary>
    public List<(string Recorded, string Replayed)> Correlated { get; set; } = [];

    public void Report(string location, DifferenceKind kind, string? expected, string? actual)
    {
        if (kind == DifferenceKind.Changed && expected is not null && actual is not null && location != "status" && CorrelatedPairs.Explains(Correlated, expected, actual))
        {
            // A new id the new build issued, which replay learned and sent on: expected, not a difference.
            noise.CountCorrelated(Endpoint, location);
            return;
        }

        var difference = new Difference(location, kind, expected, actual);
        if (!noise.IsNoise(Endpoint, difference))
        {
            Differences.Add(difference);
        }
    }
}

/// <summary>
/// Teaches the noise model every location that differs between two runs of one build, except status
/// and transport errors: one flaky run must never hide every status change on an endpoint.
/// </summary>
internal sealed class LearningSink(NoiseModel noise, string source) : IDiffSink
{
    public string Endpoint { get; set; } = string.Empty;

    public void Report(string location, DifferenceKind kind, string? expected, string? actual)
    {
        if (location is "status" or "error")
        {
            return;
        }

        noise.Learn(Endpoint, location, source);
    }
}
