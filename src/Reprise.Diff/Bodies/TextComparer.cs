using DiffPlex;
using Reprise.Core.Model;
using Reprise.Diff.Model;

namespace Reprise.Diff.Bodies;

/// <summary>Text bodies compared line by line with DiffPlex (<c>line 12</c>, or <c>line 12-14</c> for a block).</summary>
public sealed class TextComparer : IDiffComparer
{
    /// <inheritdoc />
    public string Name => "text";

    /// <inheritdoc />
    public bool CanCompare(ExchangeBody body, Protocol protocol) => body.IsText;

    /// <inheritdoc />
    public bool Compare(ExchangeBody expected, ExchangeBody actual, BodyDiffContext context, IDiffSink sink) =>
        CompareText(expected.Text, actual.Text, context, sink);

    internal static bool CompareText(string left, string right, BodyDiffContext context, IDiffSink sink)
    {
        if (string.Equals(left, right, StringComparison.Ordinal))
        {
            return true;
        }

        var result = Differ.Instance.CreateLineDiffs(left, right, ignoreWhitespace: false);
        var capped = new CappedSink(sink, context.MaxDifferences);
        foreach (var block in result.DiffBlocks)
        {
            var removed = string.Join('\n', result.PiecesOld.Skip(block.DeleteStartA).Take(block.DeleteCountA));
            var added = string.Join('\n', result.PiecesNew.Skip(block.InsertStartB).Take(block.InsertCountB));
            var line = block.DeleteCountA > 0 ? block.DeleteStartA + 1 : block.InsertStartB + 1;
            var count = Math.Max(block.DeleteCountA, block.InsertCountB);
            var location = count > 1 ? $"body:line {line}-{line + count - 1}" : $"body:line {line}";
            var kind = block.DeleteCountA == 0 ? DifferenceKind.Added : block.InsertCountB == 0 ? DifferenceKind.Removed : DifferenceKind.Changed;
            capped.Report(location, kind, block.DeleteCountA == 0 ? null : removed, block.InsertCountB == 0 ? null : added);
        }

        return true;
    }

    /// <inheritdoc />
    public string? Pretty(ExchangeBody body) => null;
}
