using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.XmlPath;

namespace Reprise.Redaction.Rules;

/// <summary><c>xpath: //Password</c>: text of the selected elements (and their descendants) or the selected attribute.</summary>
public sealed record XPathRule(string Name, XPathSubset Path, RuleScope Scope, DataKind Kind, ActionSpec Action) : IRedactionRule
{
    public RuleTarget Target => RuleTarget.Xml;
}
