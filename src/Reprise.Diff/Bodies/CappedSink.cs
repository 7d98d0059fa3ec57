using Reprise.Diff.Model;

namespace Reprise.Diff.Bodies;

/// <summary>Caps how many differences one body reports (a reordered array can otherwise produce thousands).</summary>
internal sealed class CappedSink(IDiffSink sink, int max)
{
    private int _count;

    public bool Exhausted => _count >= max;

    public void Report(string location, DifferenceKind kind, string? expected, string? actual)
    {
        if (_count++ < max)
        {
            sink.Report(location, kind, Difference.Shorten(expected), Difference.Shorten(actual));
        }
    }
}
