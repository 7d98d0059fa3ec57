namespace Reprise.Redaction.Policy;

/// <summary>A loaded policy, or every error found (one line each: <c>FILE:LINE: where: what</c>).</summary>
/// <param name="Policy">The policy when <paramref name="Errors"/> is empty.</param>
/// <param name="Errors">Validation errors.</param>
public sealed record PolicyLoadResult(RedactionPolicy? Policy, IReadOnlyList<string> Errors)
{
    /// <summary>True when the file was valid.</summary>
    public bool IsValid => Policy is not null && Errors.Count == 0;
}
