using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Rules;

/// <summary>One rule as written in the rules file, after the common fields were validated.</summary>
/// <param name="Name">The rule's name (given, or <c>selector:value</c>).</param>
/// <param name="Selector">The selector key (<c>json</c>, <c>xpath</c>, <c>form</c>, <c>query</c>, <c>header</c>, <c>regex</c>).</param>
/// <param name="Value">The selector's value (a path, a name, a pattern).</param>
/// <param name="Scope">Requests, responses or both.</param>
/// <param name="Kind">What the value is.</param>
/// <param name="Action">What to do.</param>
/// <param name="Where">Prefix for error lines: <c>rules.yaml:12: rules[2].json</c>.</param>
public sealed record RuleOptions(string Name, string Selector, string Value, RuleScope Scope, DataKind Kind, ActionSpec Action, string Where);
