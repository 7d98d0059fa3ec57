using Reprise.Core.Model;
using Reprise.Core.Transforms;
using Reprise.Mock.Chaos;
using Reprise.Mock.Templating;

namespace Reprise.Mock.Config;

/// <summary>A validated route rule, resolved once per recorded exchange at index build time.</summary>
internal sealed class RouteRule
{
    public required string Name { get; init; }

    public string? Method { get; init; }

    /// <summary>Host to match (lower-case, IPv6 without brackets), any when null.</summary>
    public string? Host { get; init; }

    /// <summary>Port digits to match when the rule names one (<c>[::1]:8080</c>); any port when null.</summary>
    public string? Port { get; init; }

    public PathGlob? Path { get; init; }

    /// <summary>Leaf names of the glob's wildcard segments (<c>/users/*</c> gives <c>path[1]</c>): ignored when matching, so any id matches and templates can echo it.</summary>
    public IReadOnlySet<string>? WildcardNames { get; init; }

    public ResponseTemplate? Template { get; init; }

    public bool ShiftDates { get; init; }

    public required ChaosModel Chaos { get; init; }

    /// <summary>True when the rule covers the request; a null <paramref name="authority"/> stands for any host.</summary>
    public bool Matches(string method, string? authority, ReadOnlySpan<char> path) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (Host is null || authority is null || HostMatches(authority))
        && (Path is null || Path.IsMatch(path));

    private bool HostMatches(string authority)
    {
        UrlParts.SplitAuthority(authority, out var host, out var port);
        if (!host.Equals(Host, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Canonical authorities drop the scheme's default port, so a rule naming 80 or 443 matches a port-less one.
        return Port is null || port.SequenceEqual(Port) || (port.IsEmpty && Port is "80" or "443");
    }
}
