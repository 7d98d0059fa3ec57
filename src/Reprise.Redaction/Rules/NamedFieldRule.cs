using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Rules;

/// <summary>
/// <c>form:</c>, <c>query:</c> or <c>header:</c> rules: the whole value of a named field. Form and query
/// names match after <see cref="FieldNames.Normalize"/>; header names case-insensitively.
/// </summary>
public sealed record NamedFieldRule(string Name, RuleTarget Target, string FieldName, RuleScope Scope, DataKind Kind, ActionSpec Action) : IRedactionRule
{
    /// <summary>The name compared against (normalised for form/query, lower-case for headers).</summary>
    public string Key { get; } = Target == RuleTarget.Header ? FieldName.ToLowerInvariant() : FieldNames.Normalize(FieldName);
}
