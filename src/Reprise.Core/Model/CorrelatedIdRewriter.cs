namespace Reprise.Core.Model;

/// <summary>
/// Rewrites recorded text with the ids replay correlated, as replay substitutes them: each whole run of
/// <c>[A-Za-z0-9_-]</c> that is a recorded id becomes its new value, all at once. The pairs' map is built once, so a
/// caller with many values (diff's keyed array elements) rewrites each once and looks the result up, instead of
/// trying every pair; <see cref="CorrelatedPairs.Explains"/> is one rewrite and a comparison.
/// </summary>
public sealed class CorrelatedIdRewriter
{
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly System.Text.StringBuilder _builder = new();

    /// <param name="pairs">Recorded id and its new value; the latest pair for a recorded id wins.</param>
    public CorrelatedIdRewriter(IReadOnlyList<(string Recorded, string Replayed)> pairs)
    {
        var map = new Dictionary<string, string>(pairs.Count, StringComparer.Ordinal);
        foreach (var (recorded, replayed) in pairs)
        {
            map[recorded] = replayed; // the latest pair wins
        }

        _lookup = map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The text with its correlated ids replaced; null when none of its runs is a correlated id.</summary>
    public string? Rewrite(string text)
    {
        _builder.Clear();
        var changed = false;
        var i = 0;
        while (i < text.Length)
        {
            if (!IsRunChar(text[i]))
            {
                _builder.Append(text[i++]);
                continue;
            }

            var start = i;
            while (i < text.Length && IsRunChar(text[i]))
            {
                i++;
            }

            // A resource id with its file extension (SOGo's 5EE3-6B09C480-65-74F6E500.vcf) is one id.
            if (ExtensionEnd(text, i) is var end and > 0 && _lookup.TryGetValue(text.AsSpan(start, end - start), out var named))
            {
                _builder.Append(named);
                changed = true;
                i = end;
                continue;
            }

            var run = text.AsSpan(start, i - start);
            if (_lookup.TryGetValue(run, out var replayed))
            {
                _builder.Append(replayed);
                changed = true;
            }
            else
            {
                _builder.Append(run);
            }
        }

        return changed ? _builder.ToString() : null;
    }

    private static bool IsRunChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    /// <summary>Where a <c>.ext</c> of 2-5 letters right after a run ends (then no run character follows); 0 when there is none.</summary>
    private static int ExtensionEnd(string text, int at)
    {
        if (at >= text.Length - 2 || text[at] != '.')
        {
            return 0;
        }

        var j = at + 1;
        while (j < text.Length && char.IsAsciiLetter(text[j]))
        {
            j++;
        }

        return j - at - 1 is >= 2 and <= 5 && (j == text.Length || !IsRunChar(text[j])) ? j : 0;
    }
}
