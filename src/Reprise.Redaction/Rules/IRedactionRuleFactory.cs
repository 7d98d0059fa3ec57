namespace Reprise.Redaction.Rules;

/// <summary>Builds one kind of rule from the rules file; resolved by its <see cref="Selector"/> key.</summary>
public interface IRedactionRuleFactory
{
    /// <summary>The selector key in the rules file (<c>json</c>, <c>xpath</c>, ...).</summary>
    string Selector { get; }

    /// <summary>Validates the selector value and builds the rule; adds one line per problem to <paramref name="errors"/> and returns null when invalid.</summary>
    IRedactionRule? Build(RuleOptions options, List<string> errors);
}
