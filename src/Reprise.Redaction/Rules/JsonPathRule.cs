using Reprise.Core.Json;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Rules;

/// <summary><c>json: $.user.email</c>: every scalar at or under the selected locations.</summary>
public sealed record JsonPathRule(string Name, JsonPath Path, RuleScope Scope, DataKind Kind, ActionSpec Action) : IRedactionRule
{
    public RuleTarget Target => RuleTarget.Json;
}
