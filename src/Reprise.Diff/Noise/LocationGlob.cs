using System.Text;
using System.Text.RegularExpressions;
using Reprise.Core.Text;

namespace Reprise.Diff.Noise;

/// <summary>
/// A glob over difference locations (<c>body:$.meta.*</c>, <c>body:$.items[*].updatedAt</c>,
/// <c>header:x-*</c>, <c>body:$.debug.**</c>): <c>*</c> matches within one segment (no <c>.</c>, <c>/</c>,
/// <c>[</c>, <c>]</c>), <c>**</c> matches anything. A pattern also matches everything below the
/// location it names (ignoring <c>$.meta</c> ignores <c>$.meta.build</c>). Header names compare case-insensitively.
/// </summary>
public sealed class LocationGlob
{
    private readonly Regex _regex;

    private LocationGlob(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    /// <summary>The pattern as given.</summary>
    public string Pattern { get; }

    /// <summary>Parses a pattern; throws <see cref="FormatException"/> with a reason when it is not one.</summary>
    public static LocationGlob Parse(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            throw new FormatException("empty pattern");
        }

        var colon = pattern.IndexOf(':', StringComparison.Ordinal);
        var scope = colon < 0 ? string.Empty : pattern[..colon];
        if (scope is not ("status" or "error" or "header" or "trailer" or "body") && pattern is not ("status" or "error"))
        {
            throw new FormatException($"'{pattern}' must start with body:, header:, trailer:, status or error");
        }

        var builder = GlobRegex.Append(new StringBuilder("^"), pattern, @"[^./\[\]]", questionMark: false);
        builder.Append(@"([.\[/].*)?$");
        var options = RegexOptions.CultureInvariant | (scope is "header" or "trailer" ? RegexOptions.IgnoreCase : RegexOptions.None);
        return new LocationGlob(pattern, new Regex(builder.ToString(), options, TimeSpan.FromSeconds(1)));
    }

    /// <summary>True when the location is the pattern or below it.</summary>
    public bool IsMatch(string location) => _regex.IsMatch(location);

    /// <summary>A location with array indexes generalised (<c>[3]</c> → <c>[*]</c>), the form learned noise is stored in.</summary>
    public static string Generalize(string location) => Indexes().Replace(location, "[*]");

    private static Regex Indexes() => IndexRegex;

    private static readonly Regex IndexRegex = new(@"\[(\d+|[^\]=]+=[^\]]*)\]", RegexOptions.CultureInvariant | RegexOptions.Compiled);
}
