namespace Reprise.Replay.Correlation;

/// <summary>One correlation rule found (or given) and how often it was applied.</summary>
/// <param name="Name">The rule: what the value is (<c>$.id</c>, <c>Location</c>, <c>cookie sid</c>, or a manual rule's name).</param>
/// <param name="ExtractedFrom">Where it was captured, e.g. <c>POST /orders response body $.id</c>.</param>
/// <param name="SubstitutedInto">Where it was substituted, e.g. <c>GET /orders/{id} path</c>.</param>
/// <param name="Applied">How many requests it changed.</param>
/// <param name="Manual">True for rules from the rules file.</param>
public sealed record CorrelationRuleReport(string Name, string ExtractedFrom, string SubstitutedInto, long Applied, bool Manual);
