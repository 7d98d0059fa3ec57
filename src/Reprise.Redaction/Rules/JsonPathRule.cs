using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.JsonPath;

namespace Reprise.Redaction.Rules;

/// <summary><c>json: $.user.email</c>: every scalar at or under the selected locations.</summary>
public sealed record JsonPathRule(string Name, JsonPathExpression Path, RuleScope Scope, DataKind Kind, ActionSpec Action) : IRedactionRule
{
    public RuleTarget Target => RuleTarget.Json;
}
