using System.Text.RegularExpressions;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Rules;

/// <summary><c>regex: …</c>: matches inside every text value, like a built-in detector with its own action. A group named <c>value</c>, when present, is what gets redacted.</summary>
public sealed record RegexRule(string Name, Regex Pattern, RuleScope Scope, DataKind Kind, ActionSpec Action) : IRedactionRule, IValueDetector
{
    public RuleTarget Target => RuleTarget.Regex;

    public bool MayMatch(in TextStats stats) => stats.Length > 0;

    public void Find(string text, List<(int Start, int Length)> matches)
    {
        var valueGroup = Pattern.GroupNumberFromName("value");
        for (var match = Pattern.Match(text); match.Success; match = match.NextMatch())
        {
            var group = valueGroup >= 0 && match.Groups[valueGroup].Success ? match.Groups[valueGroup] : match;
            if (group.Length > 0)
            {
                matches.Add((group.Index, group.Length));
            }
        }
    }
}
