namespace Reprise.Core.Pipeline;

/// <summary>A source that knows how far through its input it is (for progress bars).</summary>
public interface IReportsProgress
{
    /// <summary>Fraction of the input consumed, 0 to 1, or null when unknown.</summary>
    double? Fraction { get; }
}
