using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Rules;

/// <summary>A user rule from the rules file: where it looks, what the value is, and what to do with it.</summary>
public interface IRedactionRule
{
    /// <summary>Stable name (from the file, or derived from the selector) used in <c>Redactions</c> and findings.</summary>
    string Name { get; }

    /// <summary>Where the rule looks.</summary>
    RuleTarget Target { get; }

    /// <summary>Requests, responses or both.</summary>
    RuleScope Scope { get; }

    /// <summary>The kind of value (token hint, mask shape, fake generator).</summary>
    DataKind Kind { get; }

    /// <summary>What to do with a match.</summary>
    ActionSpec Action { get; }
}
