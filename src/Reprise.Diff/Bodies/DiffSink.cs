using Reprise.Diff.Model;

namespace Reprise.Diff.Bodies;

/// <summary>Where comparers report what differs; the engine decides whether it is noise or a difference.</summary>
public interface IDiffSink
{
    /// <summary>Reports one difference at a location.</summary>
    void Report(string location, DifferenceKind kind, string? expected, string? actual);
}
