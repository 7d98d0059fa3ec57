using System.Text;
using System.Text.RegularExpressions;
using Reprise.Core.Text;

namespace Reprise.Core.Transforms;

/// <summary>
/// A path glob: <c>*</c> matches within one segment, <c>**</c> across segments, <c>?</c> one character.
/// <c>/orders/*</c> matches <c>/orders/42</c>; <c>/api/**</c> matches everything under <c>/api/</c>.
/// </summary>
public sealed class PathGlob
{
    private readonly Regex _regex;

    private PathGlob(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    /// <summary>The glob as written.</summary>
    public string Pattern { get; }

    /// <summary>Compiles a glob. Never fails: every character outside <c>* ?</c> matches itself.</summary>
    public static PathGlob Parse(string pattern)
    {
        var regex = GlobRegex.Append(new StringBuilder("^"), pattern, "[^/]", questionMark: true);
        regex.Append('$');
        return new PathGlob(pattern, new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1)));
    }

    /// <summary>True when the path matches.</summary>
    public bool IsMatch(ReadOnlySpan<char> path) => _regex.IsMatch(path);

    /// <summary>True when any of <paramref name="globs"/> matches <paramref name="path"/>.</summary>
    public static bool AnyMatch(IReadOnlyList<PathGlob> globs, ReadOnlySpan<char> path)
    {
        foreach (var glob in globs)
        {
            if (glob.IsMatch(path))
            {
                return true;
            }
        }

        return false;
    }
}
