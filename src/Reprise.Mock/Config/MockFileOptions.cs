namespace Reprise.Mock.Config;

/// <summary>The per-route YAML file (<c>--config mock.yaml</c>) as written by the user.</summary>
public sealed class MockFileOptions
{
    /// <summary>Leaf names always ignored by the volatile tier, e.g. <c>query.ts</c>, <c>body.$.requestId</c>.</summary>
    public List<string> Volatile { get; set; } = [];

    /// <summary>Route rules, first match wins.</summary>
    public List<RouteRuleOptions> Routes { get; set; } = [];
}
