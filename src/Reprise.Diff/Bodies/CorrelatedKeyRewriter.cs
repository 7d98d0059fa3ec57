using Reprise.Core.Model;

namespace Reprise.Diff.Bodies;

/// <summary>
/// Rewrites a recorded array key with the ids replay correlated, as <see cref="CorrelatedPairs.Explains"/> compares
/// (each whole run of <c>[A-Za-z0-9_-]</c> that is a recorded id becomes its new value, all at once), so the other
/// side's key is one dictionary lookup away: O(n) for n keyed elements instead of trying every pair. The pairs' map is
/// built once per array.
/// </summary>
internal sealed class CorrelatedKeyRewriter
{
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly System.Text.StringBuilder _builder = new();

    public CorrelatedKeyRewriter(IReadOnlyList<(string Recorded, string Replayed)> pairs)
    {
        var map = new Dictionary<string, string>(pairs.Count, StringComparer.Ordinal);
        foreach (var (recorded, replayed) in pairs)
        {
            map[recorded] = replayed; // the latest pair wins, as in Explains
        }

        _lookup = map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The key with its correlated ids replaced; null when none of its runs is a correlated id.</summary>
    public string? Rewrite(string key)
    {
        _builder.Clear();
        var changed = false;
        var i = 0;
        while (i < key.Length)
        {
            if (!IsRunChar(key[i]))
            {
                _builder.Append(key[i++]);
                continue;
            }

            var start = i;
            while (i < key.Length && IsRunChar(key[i]))
            {
                i++;
            }

            var run = key.AsSpan(start, i - start);
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
}
