using System.Text;
using System.Text.RegularExpressions;
using Reprise.Core.Text;

namespace Reprise.Diff.Noise;

/// <summary>
/// Matches endpoints written as <c>METHOD /template</c> (<c>GET /orders/{id}</c>): <c>GET /orders/*</c>,
/// <c>/orders/**</c> (any method), <c>POST /graphql (GetUser)</c>. <c>*</c> stays inside a path segment, <c>**</c> crosses them.
/// </summary>
public sealed class EndpointGlob
{
    private readonly Regex _regex;

    private EndpointGlob(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    /// <summary>The pattern as given.</summary>
    public string Pattern { get; }

    /// <summary>Parses a pattern.</summary>
    public static EndpointGlob Parse(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            throw new FormatException("empty endpoint pattern");
        }

        var text = pattern.Trim();
        var builder = new StringBuilder("^");
        if (text.StartsWith('/'))
        {
            builder.Append(@"[A-Z]+ ");
        }

        GlobRegex.Append(builder, text, "[^/]", questionMark: false);
        builder.Append(@"( \(.*\))?$");
        return new EndpointGlob(pattern, new Regex(builder.ToString(), RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)));
    }

    /// <summary>True when the endpoint matches.</summary>
    public bool IsMatch(string endpoint) => _regex.IsMatch(endpoint);
}
