using Reprise.Core.Model;

namespace Reprise.Mock.Matching;

/// <summary>How the index is built and consulted.</summary>
public sealed record MockIndexOptions
{
    /// <summary>Which recorded direction to serve (outbound: stand in for dependencies).</summary>
    public Direction Direction { get; init; } = Direction.Outbound;

    /// <summary>The loosest tier allowed.</summary>
    public KeyPolicy Key { get; init; } = KeyPolicy.Nearest;

    /// <summary>What repeated requests get once the recorded sequence is used up.</summary>
    public ReusePolicy Reuse { get; init; } = ReusePolicy.RepeatLast;

    /// <summary>Minimum similarity (0..1) for the nearest tier.</summary>
    public double Similarity { get; init; } = 0.75;

    /// <summary>Learn volatile fields from the recording (values that differ across otherwise identical requests).</summary>
    public bool LearnVolatile { get; init; } = true;
}
