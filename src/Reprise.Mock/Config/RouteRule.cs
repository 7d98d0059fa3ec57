using Reprise.Core.Transforms;
using Reprise.Mock.Chaos;
using Reprise.Mock.Templating;

namespace Reprise.Mock.Config;

/// <summary>A validated route rule, resolved once per recorded exchange at index build time.</summary>
internal sealed class RouteRule
{
    public required string Name { get; init; }

    public string? Method { get; init; }

    public string? Host { get; init; }

    public PathGlob? Path { get; init; }

    /// <summary>Leaf names of the glob's wildcard segments (<c>/users/*</c> gives <c>path[1]</c>): ignored when matching, so any id matches and templates can echo it.</summary>
    public IReadOnlySet<string>? WildcardNames { get; init; }

    public ResponseTemplate? Template { get; init; }

    public bool ShiftDates { get; init; }

    public required ChaosModel Chaos { get; init; }

    public bool Matches(string method, string host, ReadOnlySpan<char> path) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (Host is null || string.Equals(Host, host, StringComparison.OrdinalIgnoreCase))
        && (Path is null || Path.IsMatch(path));
}
