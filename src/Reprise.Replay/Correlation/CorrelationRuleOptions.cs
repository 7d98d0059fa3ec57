using Reprise.Core.Json;
namespace Reprise.Replay.Correlation;

/// <summary>
/// A manual correlation rule: where a value is extracted from each response, and where it is put in
/// later requests of the same session. Without <see cref="SubstituteHeader"/>/<see cref="SubstituteQuery"/>/<see cref="SubstituteJson"/>
/// the recorded value is replaced wherever it appears (as automatic rules do).
/// </summary>
public sealed record CorrelationRuleOptions
{
    /// <summary>The rule name, shown in the report.</summary>
    public required string Name { get; init; }

    /// <summary>Where the rule came from (<c>rules.yaml:3</c>), for error messages.</summary>
    public string Origin { get; init; } = "rule";

    /// <summary>Only learn from responses of requests whose path matches this glob.</summary>
    public string? FromPath { get; init; }

    /// <summary>Extract a response header's value.</summary>
    public string? ExtractHeader { get; init; }

    /// <summary>Extract a JSON body value by path.</summary>
    public string? ExtractJson { get; init; }

    /// <summary>Extract with a regular expression over the body text (group 1, else the whole match).</summary>
    public string? ExtractRegex { get; init; }

    /// <summary>Set this request header to the value.</summary>
    public string? SubstituteHeader { get; init; }

    /// <summary>Set this query parameter to the value.</summary>
    public string? SubstituteQuery { get; init; }

    /// <summary>Set this JSON body path to the value.</summary>
    public string? SubstituteJson { get; init; }

    /// <summary>An optional prefix before the value in a substituted header (e.g. <c>Bearer </c>).</summary>
    public string? SubstitutePrefix { get; init; }

    /// <summary>Every problem with this rule.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var extracts = (ExtractHeader is null ? 0 : 1) + (ExtractJson is null ? 0 : 1) + (ExtractRegex is null ? 0 : 1);
        if (extracts != 1)
        {
            errors.Add($"{Origin}: rule '{Name}': give exactly one of extract.header, extract.json, extract.regex");
        }

        if (ExtractJson is not null && JsonPath.TryParseSingular(ExtractJson, out var jsonError) is null)
        {
            errors.Add($"{Origin}: rule '{Name}': extract.json: {jsonError}");
        }

        if (SubstituteJson is not null && JsonPath.TryParseSingular(SubstituteJson, out var subError) is null)
        {
            errors.Add($"{Origin}: rule '{Name}': substitute.json: {subError}");
        }

        if (ExtractRegex is not null)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(ExtractRegex, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{Origin}: rule '{Name}': extract.regex: invalid regex '{ExtractRegex}' ({ex.Message})");
            }
        }

        return errors;
    }
}
