namespace Reprise.Redaction.Rules;

/// <summary>Which half of an exchange a rule applies to.</summary>
[Flags]
public enum RuleScope
{
    Request = 1,
    Response = 2,
    Both = Request | Response,
}
