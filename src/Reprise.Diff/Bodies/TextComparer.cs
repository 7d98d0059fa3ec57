using System.Text.RegularExpressions;
using DiffPlex;
using Reprise.Core.Model;
using Reprise.Diff.Model;
using Reprise.Diff.Noise;

namespace Reprise.Diff.Bodies;

/// <summary>Text bodies compared line by line with DiffPlex (<c>line 12</c>, or <c>line 12-14</c> for a block).</summary>
public sealed partial class TextComparer : IDiffComparer
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
            if (OnlyVolatileTokens(result.PiecesOld, result.PiecesNew, block) is { } tokens)
            {
                // Lines that differ only in values of one volatile format (a CSRF token or nonce in an HTML page, a
                // timestamp in a log line): each value pair is reported on its line, so the noise model sees two
                // random tokens (or timestamps) rather than two long lines.
                foreach (var (at, expected, actual) in tokens)
                {
                    capped.Report($"body:line {at}", DifferenceKind.Changed, expected, actual);
                }

                continue;
            }

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

    /// <summary>
    /// For a block that changes N lines into N lines, the values that differ when every changed line keeps its
    /// words and punctuation and every differing word is a value of one volatile format on both sides; else null.
    /// </summary>
    private static List<(int Line, string Expected, string Actual)>? OnlyVolatileTokens(IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines, DiffPlex.Model.DiffBlock block)
    {
        if (block.DeleteCountA == 0 || block.DeleteCountA != block.InsertCountB || block.DeleteCountA > 50)
        {
            return null;
        }

        var found = new List<(int, string, string)>();
        for (var i = 0; i < block.DeleteCountA; i++)
        {
            var oldLine = oldLines[block.DeleteStartA + i];
            var newLine = newLines[block.InsertStartB + i];
            if (oldLine.Length > 64 * 1024 || newLine.Length > 64 * 1024)
            {
                return null;
            }

            var a = Words().Matches(oldLine);
            var b = Words().Matches(newLine);
            if (a.Count != b.Count)
            {
                return null;
            }

            for (var w = 0; w < a.Count; w++)
            {
                var x = a[w].Value;
                var y = b[w].Value;
                if (string.Equals(x, y, StringComparison.Ordinal))
                {
                    continue;
                }

                if (!WordChar(x[0]) || !WordChar(y[0]) || VolatileFormats.Shared(x, y) is null)
                {
                    return null;
                }

                found.Add((block.DeleteStartA + i + 1, x, y));
            }
        }

        return found.Count > 0 ? found : null;
    }

    private static bool WordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '_' or '-' or '.' or ':';

    /// <summary>Runs of characters a token, UUID or timestamp is made of, and the runs between them.</summary>
    [GeneratedRegex(@"[A-Za-z0-9+/=_\-.:]+|[^A-Za-z0-9+/=_\-.:]+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Words();
}
