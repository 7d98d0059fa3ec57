using Reprise.Diff.Bodies;
using Reprise.Diff.Model;
using Reprise.Diff.Noise;

namespace Reprise.Diff.Engine;

/// <summary>Keeps the differences that are not noise for one exchange.</summary>
internal sealed class CollectingSink(NoiseModel noise) : IDiffSink
{
    public string Endpoint { get; set; } = string.Empty;

    public List<Difference> Differences { get; } = [];

    public void Report(string location, DifferenceKind kind, string? expected, string? actual)
    {
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
