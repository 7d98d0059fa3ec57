namespace Reprise.Core.Model;

/// <summary>Where something was redacted and by which rule. Never carries the value.</summary>
/// <param name="Location">E.g. <c>request.header:authorization</c> or <c>response.body:$.user.email</c>.</param>
/// <param name="Rule">The stable name of the rule or detector that fired.</param>
/// <param name="Action">What was done: mask, tokenize, fake or drop.</param>
public sealed record Redaction(string Location, string Rule, string Action);
